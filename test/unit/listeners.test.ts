import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { isLoopback, listenersOn } from '../support/listeners';

const listen = (host: string): Promise<{ server: Server; port: number }> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });

describe('listenersOn (kernel socket tables)', () => {
  test('a server on 127.0.0.1 is found on its port, with a loopback address', async () => {
    // Prepare
    const { server, port } = await listen('127.0.0.1');

    // Act
    const addresses = listenersOn(port);
    await new Promise((resolve) => server.close(resolve));

    // Assess
    expect(addresses).toEqual(['127.0.0.1']);
    expect(addresses.every(isLoopback)).toBe(true);
  });

  test('a closed port has no listener', async () => {
    // Prepare
    const { server, port } = await listen('127.0.0.1');
    await new Promise((resolve) => server.close(resolve));

    // Act
    const addresses = listenersOn(port);

    // Assess
    expect(addresses).toEqual([]);
  });

  test.each([
    ['0.0.0.0', false],
    ['0000:0000:0000:0000:0000:0000:0000:0000', false],
    ['::ffff:127.0.0.1', true],
    ['0000:0000:0000:0000:0000:0000:0000:0001', true],
    ['10.0.0.5', false],
  ])('%s is loopback: %s', (address, expected) => {
    // Prepare
    const value = address;

    // Act
    const loopback = isLoopback(value);

    // Assess
    expect(loopback).toBe(expected);
  });
});
