import { startDynamoDbLocal, startFauxqs } from '../../local/emulators';
import type { Emulator } from '../../local/emulators';
import { useEmulatorEndpoints } from '../../local/pipeline';
import { freePort } from '../../local/free-port';

declare global {
  // eslint-disable-next-line no-var
  var integrationEmulators: readonly Emulator[] | undefined;
}

/**
 * Starts the real emulators once for the integration project: DynamoDB Local in memory and fauxqs, each on
 * a free loopback port. Test workers inherit the endpoints through the standard AWS_ENDPOINT_URL_* settings.
 */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [dynamoDb, sqs] = await Promise.all([startDynamoDbLocal({ port: await freePort() }), startFauxqs({ port: await freePort() })]);
  globalThis.integrationEmulators = [dynamoDb, sqs];
  useEmulatorEndpoints({ dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint });
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
}
