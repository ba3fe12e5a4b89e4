import { isLoopback, listenersOn } from '../support/listeners';

/** The port of an emulator endpoint the global setup started (inherited as AWS_ENDPOINT_URL_*). */
const portOf = (variable: 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_SQS'): number => {
  const endpoint = process.env[variable];
  if (endpoint === undefined) throw new Error(`${variable} is not set: the integration global setup starts the emulators`);
  return Number(new URL(endpoint).port);
};

describe('the emulators listen on loopback only', () => {
  test.each([
    ['DynamoDB Local', 'AWS_ENDPOINT_URL_DYNAMODB'],
    ['fauxqs (SQS)', 'AWS_ENDPOINT_URL_SQS'],
  ] as const)('%s has listening sockets, all on a loopback address', (_name, variable) => {
    // Prepare
    const port = portOf(variable);

    // Act
    const addresses = listenersOn(port);

    // Assess
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((address) => !isLoopback(address))).toEqual([]);
  });
});
