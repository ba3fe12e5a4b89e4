import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeClientFactory, loadStripe } from '../../functions/adapters/stripe-client';
import { ConfigurationError } from '../../functions/core/errors';

describe('Stripe client for custom handlers, against a fake Stripe API on loopback', () => {
  let server: Server;
  let baseUrl: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake' });
      response.end(JSON.stringify({ id: 'acct_fake', object: 'account' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('acts as the connected account: every request carries its Stripe-Account header', async () => {
    // Prepare
    const stripeFor = createStripeClientFactory({ apiKey: 'sk_test_fake', baseUrl, stripe: await loadStripe() });

    // Act
    await stripeFor('acct_1PgafTB7WZ01zgkW').balance.retrieve();

    // Assess
    expect(seen.at(-1)?.['stripe-account']).toBe('acct_1PgafTB7WZ01zgkW');
    expect(seen.at(-1)?.authorization).toBe('Bearer sk_test_fake');
  });

  test('acts as the platform for platform events: no Stripe-Account header', async () => {
    // Prepare
    const stripeFor = createStripeClientFactory({ apiKey: 'sk_test_fake', baseUrl, stripe: await loadStripe() });

    // Act
    await stripeFor(undefined).balance.retrieve();

    // Assess
    expect(seen.at(-1)?.['stripe-account']).toBeUndefined();
  });

  test('without an API key, using the client fails with a configuration error', async () => {
    // Prepare
    const stripeFor = createStripeClientFactory({ apiKey: undefined, stripe: await loadStripe() });

    // Act
    const use = () => stripeFor('acct_1PgafTB7WZ01zgkW');

    // Assess
    expect(use).toThrow(ConfigurationError);
  });
});
