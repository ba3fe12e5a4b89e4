import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { CheckResult } from '../../cli/doctor/check';
import { doctorCommand } from '../../cli/doctor-command';
import { runCli } from '../support/cli-runner';
import { loadFixtureEvent } from '../support/event-factory';
import { writeStateFile } from '../support/pipeline-fixtures';
import { startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(60_000);

const emulatorEndpoints = () => ({ dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', sqs: process.env.AWS_ENDPOINT_URL_SQS ?? '' });

/** Runs `doctor --state <file> --json`, with the clock moved `laterMs` ahead when given. */
const doctor = async (stateFile: string, laterMs = 0) => {
  const run = await runCli([doctorCommand({ nowMs: () => Date.now() + laterMs })], ['doctor', '--state', stateFile, '--json']);
  const report = JSON.parse(run.stdout) as { healthy: boolean; checks: CheckResult[] };
  return { exitCode: run.exitCode, checks: report.checks, check: (id: string) => report.checks.find((check) => check.id === id) };
};

describe('doctor on the local pipeline (DynamoDB Local and fauxqs)', () => {
  let local: TestPipeline;
  let stateFile: string;

  beforeAll(async () => {
    local = await startTestPipeline();
    stateFile = writeStateFile({ pipeline: local.pipeline, endpoints: emulatorEndpoints(), secrets: local.secrets });
  });

  afterAll(async () => {
    await local.stop();
  });

  test('a healthy pipeline that processed an event passes, with nothing failed, and exits 0', async () => {
    // Prepare
    const payload = loadFixtureEvent('account.updated');
    const { id } = JSON.parse(payload) as { id: string };
    expect((await local.post({ payload, route: 'connect' })).status).toBe(200);
    await local.waitForStatus(id, 'processed');

    // Act
    const result = await doctor(stateFile);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.checks.filter((check) => check.status === 'fail')).toEqual([]);
    for (const id_ of ['setup', 'secrets.account', 'secrets.connect', 'dead-letter-queue', 'queue-age', 'last-processed']) expect(result.check(id_)?.status).toBe('ok');
    expect(result.check('stripe-endpoint.connect')).toEqual(expect.objectContaining({ status: 'skip', detail: expect.stringContaining('stripe listen') }));
    expect(result.check('alarms')?.status).toBe('skip');
  });

  test('a message waiting longer than 15 minutes fails the queue-age check, read from the emulator without receiving it', async () => {
    // Prepare: a queue no worker polls, named in the state file as the event queue
    const { resources } = local.pipeline;
    await local.sqs.send(new SendMessageCommand({ QueueUrl: resources.deadLetterQueueUrl, MessageBody: '{"id":"evt_waiting"}' }));
    const file = join(mkdtempSync(join(tmpdir(), 'cw-')), 'pipeline.json');
    const secrets = { account: [local.secrets.account], connect: [local.secrets.connect] };
    writeFileSync(file, JSON.stringify({ url: local.pipeline.url, region: 'us-east-1', endpoints: emulatorEndpoints(), resources: { ...resources, queueUrl: resources.deadLetterQueueUrl }, secrets, pid: process.pid, startedAt: new Date().toISOString() }));

    // Act
    const result = await doctor(file, 20 * 60_000);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check('queue-age')).toEqual(expect.objectContaining({ status: 'fail', detail: expect.stringContaining('20 min old'), fix: expect.stringContaining('npm start') }));
    expect(result.check('dead-letter-queue')).toEqual(expect.objectContaining({ status: 'fail', fix: expect.stringContaining('npx connect-webhooks replay dlq') }));
    expect(await local.depth(local.pipeline.resources.deadLetterQueueUrl)).toBe(1);
  });

  test('no state file fails the setup check with `npm start` as the fix, and nothing else runs', async () => {
    // Act
    const result = await doctor(join(tmpdir(), 'no-such-dir', 'pipeline.json'));

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.checks).toEqual([expect.objectContaining({ id: 'setup', status: 'fail', fix: expect.stringContaining('npm start') })]);
  });

  test('a state file left by a stopped pipeline fails the setup check', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'cw-')), 'pipeline.json');
    writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:9', region: 'us-east-1', endpoints: emulatorEndpoints(), resources: local.pipeline.resources, secrets: { account: [], connect: [] }, pid: 1, startedAt: '2026-01-01T00:00:00.000Z' }));

    // Act
    const result = await doctor(file);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.checks).toEqual([expect.objectContaining({ id: 'setup', status: 'fail', detail: expect.stringContaining('the pipeline has stopped'), fix: expect.stringContaining('npm start') })]);
  });
});
