// The SDK's notice about future Node versions is noise for a local tool.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../functions/adapters/logger';
import { LOCAL_AWS, startDynamoDbLocal, startFauxqs } from './emulators';
import type { Emulator } from './emulators';
import { watchParent } from './child-process';
import { LOCAL_DIR, LOCK_FILE, STATE_FILE, readPipelineState, resolveLocalSecrets, writePipelineState } from './local-settings';
import { acquirePipelineLock } from './pipeline-lock';
import type { PipelineLock } from './pipeline-lock';
import { startLocalPipeline } from './pipeline';
import type { LocalPipeline } from './pipeline';

const port = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number`);
  return value;
};

const banner = (options: { url: string; pipeline: LocalPipeline; dynamoDb: Emulator; sqs: Emulator; secrets: ReturnType<typeof resolveLocalSecrets> }): string => {
  const { url, pipeline, secrets } = options;
  const publicUrl = url.replace('127.0.0.1', 'localhost');
  const origin = secrets.development ? 'development secret, made for this checkout' : 'from the environment';
  return [
    '',
    'Stripe Connect webhooks: local pipeline ready',
    `  Account endpoint  ${publicUrl}/webhooks/account   secret(s): ${secrets.account.join(', ')} (${origin})`,
    `  Connect endpoint  ${publicUrl}/webhooks/connect   secret(s): ${secrets.connect.join(', ')} (${origin})`,
    `  Thin endpoint     ${publicUrl}/webhooks/thin      secret(s): ${secrets.thin.join(', ')} (${origin})`,
    `  Health            ${publicUrl}/health`,
    `  Stripe API        ${pipeline.stripeStandInUrl === undefined ? `${process.env.STRIPE_API_BASE_URL ?? 'api.stripe.com'} (STRIPE_API_BASE_URL / STRIPE_API_KEY)` : `${pipeline.stripeStandInUrl} (stand-in serving what \`trigger\` sends as thin events)`}`,
    `  DynamoDB Local    ${options.dynamoDb.endpoint}   tables ${pipeline.resources.ledgerTableName}, ${pipeline.resources.stateTableName} (kept in .local/dynamodb)`,
    `  SQS (fauxqs)      ${options.sqs.endpoint}   queue ${pipeline.resources.queueUrl}`,
    `                    DLQ ${pipeline.resources.deadLetterQueueUrl}`,
    '',
    'Try it (in another terminal):',
    '  npx connect-webhooks trigger account.updated --account acct_123',
    '  npx connect-webhooks events show <evt_id printed above>',
    '  npx connect-webhooks accounts show acct_123',
    "  npx connect-webhooks trigger 'v2.core.account[requirements].updated' --account acct_123   (a thin event)",
    '',
    'Forward real test-mode events with the Stripe CLI:',
    `  stripe listen --forward-to ${publicUrl.replace('http://', '')}/webhooks/account --forward-connect-to ${publicUrl.replace('http://', '')}/webhooks/connect`,
    '  The Stripe CLI signs with its own session secret (it prints "Your webhook signing secret is whsec_…"),',
    '  not with your Dashboard endpoints\' secrets. Restart with it added to both lists:',
    '  STRIPE_WEBHOOK_SECRET=whsec_… STRIPE_CONNECT_WEBHOOK_SECRET=whsec_… npm start',
    `  Thin events: stripe listen --thin-events <types> --forward-thin-to ${publicUrl.replace('http://', '')}/webhooks/thin, with`,
    '  STRIPE_THIN_WEBHOOK_SECRET=whsec_…, and STRIPE_API_BASE_URL=https://api.stripe.com STRIPE_API_KEY=sk_test_… for the fetches.',
    '',
    'Ctrl-C (or kill of this command\'s pid) stops everything this command started.',
    '',
  ].join('\n');
};

/** One pipeline per checkout; a second start says which one runs and leaves it, and its state file, alone. */
const lockOrExit = (): PipelineLock => {
  try {
    return acquirePipelineLock({ file: LOCK_FILE, port: port('PORT', 4242) });
  } catch (error) {
    console.error(`\nThe local pipeline could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
};

const main = async (): Promise<void> => {
  const lock = lockOrExit();
  const secrets = resolveLocalSecrets(process.env);
  const started: Array<{ stop(): Promise<void> }> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the local pipeline…');
    for (const part of started.reverse()) await part.stop().catch((error) => console.error(String(error)));
    // Only this run's own state file: never the one of a pipeline started elsewhere.
    if (readPipelineState()?.pid === process.pid) rmSync(STATE_FILE, { force: true });
    lock.release();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));
  // `kill <pid of npm start>`: npm forwards SIGTERM to its shell, which may die without passing it on. Whoever
  // started this process going away (npm, the shell, an IDE) stops everything too.
  watchParent(() => void stopAll(0));
  try {
    console.log('Starting DynamoDB Local and the SQS emulator…');
    const [dynamoDb, sqs] = await Promise.all([
      startDynamoDbLocal({ port: port('LOCAL_DYNAMODB_PORT', 4243), dataDir: join(LOCAL_DIR, 'dynamodb') }),
      startFauxqs({ port: port('LOCAL_SQS_PORT', 4244) }),
    ]);
    started.push(dynamoDb, sqs);
    for (const [name, emulator] of [['DynamoDB Local', dynamoDb], ['the SQS emulator', sqs]] as const) {
      emulator.process.once('exit', (code) => {
        if (stopping) return;
        console.error(`\n${name} stopped unexpectedly (exit code ${code}); stopping the pipeline.`);
        void stopAll(1);
      });
    }
    // Should this process die without running stopAll, take the emulators down with it.
    process.once('exit', () => [dynamoDb, sqs].forEach((emulator) => emulator.process.kill('SIGKILL')));
    const pipeline = await startLocalPipeline({
      endpoints: { dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint },
      secrets,
      port: port('PORT', 4242),
      loggerFor: (service) => createLogger({ serviceName: service }),
    });
    started.push(pipeline);
    lock.update(Number(new URL(pipeline.url).port));
    writePipelineState({
      url: pipeline.url,
      region: LOCAL_AWS.region,
      endpoints: { dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint },
      resources: pipeline.resources,
      secrets: { account: secrets.account, connect: secrets.connect, thin: secrets.thin },
      ...(pipeline.stripeStandInUrl === undefined ? {} : { stripeStandInUrl: pipeline.stripeStandInUrl }),
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
    console.log(banner({ url: pipeline.url, pipeline, dynamoDb, sqs, secrets }));
  } catch (error) {
    console.error(`\nThe local pipeline could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
};

void main();
