/**
 * npm run bench: the benchmark suite. Prints a table and writes the figures, with the machine they come from, to
 * bench/results/latest.json. Everything it starts (DynamoDB Local, fauxqs, the pipeline process) runs on free
 * loopback ports and is stopped on the way out, whatever happens.
 *
 *   npm run bench                       the full suite (a few minutes)
 *   npm run bench -- --only=cold-start,ingest-cpu,worker,ceilings,end-to-end,partition-load,reconciler
 *   npm run bench -- --quick            fewer runs and a shorter load (a smoke test; figures not for the README)
 *
 * Partial and quick runs write bench/results/partial.json instead.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { useEmulatorEndpoints } from '../local/pipeline';
import { measureColdStart } from './cold-start';
import HAND_CLIENT from './results/hand-client.json';
import type { ColdStartFigure, ColdStartResult } from './cold-start';
import { measureCeilings } from './emulator-ceilings';
import type { CeilingsResult } from './emulator-ceilings';
import { measureEndToEnd } from './end-to-end';
import type { EndToEndResult } from './end-to-end';
import { measureIngestCpu } from './ingest-cpu';
import type { IngestCpuResult } from './ingest-cpu';
import { machineInfo } from './lib/machine';
import { installProcessGuards, leftoverCheck, startDynamoDbLocal, startFauxqs, stop, stopAll } from './lib/processes';
import type { BenchEmulator } from './lib/processes';
import { fmt } from './lib/stats';
import { PARTITION_LIMIT_WCU, PARTITION_SKEWS, measurePartitionLoad } from './partition-load';
import type { PartitionLoad } from './partition-load';
import { measureReconcilerScale } from './reconciler-scale';
import type { ReconcilerScaleResult } from './reconciler-scale';
import { measureWorkerWrites } from './worker-writes';
import type { WorkerWritesResult } from './worker-writes';

const SECTIONS = ['cold-start', 'ingest-cpu', 'worker', 'ceilings', 'end-to-end', 'partition-load', 'reconciler'] as const;
type Section = (typeof SECTIONS)[number];

const parseArgs = (argv: readonly string[]) => {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',').filter((name) => name !== '');
  const unknown = only?.filter((name) => !(SECTIONS as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  const quick = argv.includes('--quick');
  return { sections: new Set<Section>((only as Section[] | undefined) ?? SECTIONS), quick };
};

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Results {
  coldStart?: ColdStartResult;
  ingestCpu?: IngestCpuResult;
  worker?: WorkerWritesResult;
  /** The same count for account.updated (one PROFILE record, larger), for the capacity plan; no target. */
  workerAccountUpdated?: WorkerWritesResult;
  ceilings?: CeilingsResult;
  endToEnd?: EndToEndResult;
  partitionLoad?: PartitionLoad[];
  reconciler?: ReconcilerScaleResult;
}

const kb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${fmt(bytes / 1024, 0)} KB`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

const table = (results: Results): string[][] => {
  const rows: string[][] = [];
  const cold = results.coldStart;
  if (cold !== undefined) {
    rows.push(['Cold start (fresh node process, wall)', '', '']);
    rows.push(['  empty node -e ""  median / p90', `${fmt(cold.empty.wallMs.median)} / ${fmt(cold.empty.wallMs.p90)} ms`, '']);
    const vsEmpty = (figure: ColdStartFigure) =>
      `${fmt(figure.wallMs.median)} / ${fmt(figure.wallMs.p90)} ms = ${fmt(figure.ratio?.median ?? Number.NaN, 2)}× / ${fmt(figure.ratio?.p90 ?? Number.NaN, 2)}× empty; import ${fmt(figure.requireMs?.median ?? Number.NaN)} ms`;
    for (const figure of cold.bundles) {
      const floor = figure.floor;
      if (floor !== undefined) rows.push([`  ${floor.name}  ${kb(floor.bundleBytes)}  median / p90`, vsEmpty(floor), 'floor']);
      const toFloor = figure.ratioToFloor;
      rows.push([
        `  ${figure.name}  ${kb(figure.bundleBytes)}  median / p90`,
        `${vsEmpty(figure)}${toFloor === undefined ? '' : `; ${fmt(toFloor.median, 2)}× / ${fmt(toFloor.p90, 2)}× its floor`}`,
        toFloor === undefined ? 'for comparison' : `≤ ${cold.targetRatioToFloor}× floor: ${met(toFloor.median <= cold.targetRatioToFloor)}`,
      ]);
    }
    rows.push([`  ${cold.workerWithoutStripe.name}  ${kb(cold.workerWithoutStripe.bundleBytes)}`, vsEmpty(cold.workerWithoutStripe), 'what a side bundle would save']);
    rows.push([`  ${cold.stripeFirstUse.name}  ${kb(cold.stripeFirstUse.bundleBytes)}`, `import ${fmt(cold.stripeFirstUse.requireMs?.median ?? Number.NaN)} ms, once, at the first Stripe call`, 'for comparison']);
    for (const figure of HAND_CLIENT.coldStart.bundles) {
      rows.push([`  history: ${figure.name}, hand-written client (${HAND_CLIENT.startedAt.slice(0, 10)})  ${kb(figure.bundleBytes)}`, `${fmt(figure.ratio.median, 2)}× / ${fmt(figure.ratio.p90, 2)}× empty then`, 'history']);
    }
  }
  const cpu = results.ingestCpu;
  if (cpu !== undefined) {
    rows.push(['Ingest CPU per event, SQS stubbed', `${fmt(cpu.ingestMs, 3)} ms`, '']);
    rows.push(['  floor: HMAC-SHA256 + JSON.parse, same payload', `${fmt(cpu.floorMs, 3)} ms (ingest = ${fmt(cpu.ratio, 2)}× floor; rounds ${fmt(Math.min(...cpu.roundRatios), 2)}–${fmt(Math.max(...cpu.roundRatios), 2)}×)`, `≤ ${cpu.targetRatio}×: ${met(cpu.ratio <= cpu.targetRatio)}`]);
    rows.push(['  the same with the SDK\'s SendMessage, its HTTP exchange stubbed', `${fmt(cpu.withSdkMs, 3)} ms = ${fmt(cpu.withSdkRatio, 2)}× floor`, 'for comparison']);
    rows.push([`  history: hand-written client (${HAND_CLIENT.startedAt.slice(0, 10)})`, `${fmt(HAND_CLIENT.ingestCpu.ingestMs, 3)} ms = ${fmt(HAND_CLIENT.ingestCpu.ratio, 2)}× floor then`, 'history']);
  }
  const delivery = (label: string, figures: WorkerWritesResult['firstDelivery'], target: string) => [
    `  ${label}: ${figures.operations.join(' + ')}`,
    `${fmt(figures.requests, 0)} request${figures.requests === 1 ? "" : "s"}; ${fmt(figures.computedWcu, 0)} WCU (ledger ${fmt(figures.computedWcuLedger, 0)} + state ${fmt(figures.computedWcuState, 0)}); Local reported ${fmt(figures.localReportedCapacity, 0)}`,
    target,
  ];
  const worker = results.worker;
  if (worker !== undefined) {
    rows.push([`Worker, ${worker.eventType} (single record)`, '', '']);
    rows.push(delivery('first delivery', worker.firstDelivery, `≤ ${worker.targets.firstDeliveryRequests} round trips: ${met(worker.firstDelivery.requests <= worker.targets.firstDeliveryRequests)}`));
    rows.push(delivery('duplicate', worker.duplicate, `${worker.targets.duplicateRequests} round trip: ${met(worker.duplicate.requests <= worker.targets.duplicateRequests)}`));
  }
  const profile = results.workerAccountUpdated;
  if (profile !== undefined) {
    rows.push([`Worker, ${profile.eventType} (for comparison)`, '', '']);
    rows.push(delivery('first delivery', profile.firstDelivery, ''));
    rows.push(delivery('duplicate', profile.duplicate, ''));
  }
  const e2e = results.endToEnd;
  if (e2e !== undefined) {
    const phaseRows = (title: string, figures: EndToEndResult['saturated']) => {
      rows.push([title, '', '']);
      rows.push(['  accepted events/s (2xx)', `${fmt(figures.acceptedPerSecond)} (${fmt(figures.requests.ok)} ok, ${figures.requests.non2xx} non-2xx, ${figures.requests.errors} errors)`, '']);
      rows.push(['  HTTP latency p50 / p99', `${fmt(figures.httpLatencyMs.p50)} / ${fmt(figures.httpLatencyMs.p99)} ms`, '']);
      rows.push(['  processed events/s (first POST → last processed)', fmt(figures.processedPerSecond), '']);
      rows.push(['  POST → processed p50 / p99', `${fmt(figures.postToProcessedMs.p50)} / ${fmt(figures.postToProcessedMs.p99)} ms`, '']);
      rows.push(['  drain after the load stopped', `${fmt(figures.drainMs / 1000, 1)} s (${figures.unprocessed} unprocessed)`, '']);
    };
    phaseRows(`Local end to end, ${e2e.eventType}, ${e2e.connections} connections, ${e2e.durationSeconds} s, as fast as they go`, e2e.saturated);
    phaseRows(`Local end to end, paced at ${fmt(e2e.paced.offeredPerSecond ?? Number.NaN)} events/s (half the processed rate), ${e2e.durationSeconds} s`, e2e.paced);
    const before = HAND_CLIENT.endToEnd;
    rows.push([
      `  history: hand-written client (${HAND_CLIENT.startedAt.slice(0, 10)})`,
      `accepted ${fmt(before.saturated.acceptedPerSecond)}/s, processed ${fmt(before.saturated.processedPerSecond)}/s; paced POST → processed p50 / p99 ${fmt(before.paced.postToProcessedMs.p50)} / ${fmt(before.paced.postToProcessedMs.p99)} ms`,
      'history',
    ]);
  }
  const ceilings = results.ceilings;
  if (ceilings !== undefined) {
    rows.push([`Emulator ceilings, ${ceilings.callers} concurrent callers`, '', '']);
    rows.push(['  fauxqs SendMessage', `${fmt(ceilings.fauxqsSendMessage.callsPerSecond)} calls/s`, '']);
    rows.push(['  DynamoDB Local PutItem', `${fmt(ceilings.dynamoDbPutItem.callsPerSecond)} calls/s`, '']);
    rows.push(['  DynamoDB Local TransactWriteItems (3 actions)', `${fmt(ceilings.dynamoDbTransactWriteItems.callsPerSecond)} calls/s`, '']);
  }
  for (const load of results.partitionLoad ?? []) {
    rows.push([`Partition load at ${fmt(load.eventsPerSecond)} events/s, ${load.skew}; ${fmt(load.platformShare * 100)} % platform events; state table ${fmt(load.totalWcu)} WCU/s`, '', '']);
    const row = (label: string, busiest: PartitionLoad['sharded']) => [
      `  busiest partition key, ${label}`,
      `${busiest.partition}: ${fmt(busiest.wcu)} WCU/s (${fmt(busiest.share * 100, 1)} % of writes) = ${fmt((busiest.wcu / PARTITION_LIMIT_WCU) * 100)} % of ${fmt(PARTITION_LIMIT_WCU)}`,
      `≤ ${fmt(PARTITION_LIMIT_WCU)} WCU/s: ${met(busiest.wcu <= PARTITION_LIMIT_WCU)}`,
    ];
    rows.push(row('write shards (now)', load.sharded));
    rows.push(row('one partition per account (before)', load.unsharded));
  }
  const reconciler = results.reconciler;
  if (reconciler !== undefined) {
    rows.push([`Reconciler, first run: ${fmt(reconciler.accounts)} accounts, ${fmt(reconciler.windowEvents)} events in 3 days at Stripe (${reconciler.missing} missing from the ledger)`, '', '']);
    for (const run of reconciler.runs) {
      rows.push([`  ledger of ${fmt(run.ledgerRecords)} records: wall / peak RSS`, `${fmt(run.wallMs / 1000, 1)} s / ${fmt(run.peakRssMb)} MB (${fmt(run.rssBeforeRunMb)} MB before the run)`, `≤ 256 MB: ${met(run.peakRssMb <= 256)}`]);
      rows.push([`  ledger of ${fmt(run.ledgerRecords)} records: DynamoDB reads / Stripe`, `${fmt(run.readUnits)} RCU (${fmt(run.requests.BatchGetItemCommand ?? 0)} BatchGetItem), ${fmt(run.writeUnits)} WCU; ${fmt(run.stripeRequests)} Stripe requests; ${fmt(run.listed)} listed, ${fmt(run.enqueued)} enqueued, ${run.failed} failed`, '']);
    }
    rows.push([`  seeding (BatchWriteItem into DynamoDB Local)`, `${fmt(reconciler.seedItemsPerSecond)} items/s`, '']);
  }
  return rows;
};

const printTable = (rows: string[][]) => {
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  log('');
  log(line(['measure', 'value', 'target']));
  log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) log(line(row));
  log('');
};

const problemsOf = (results: Results): string[] => {
  const problems: string[] = [];
  const e2e = results.endToEnd;
  if (e2e !== undefined) {
    for (const [name, figures] of [['saturated', e2e.saturated], ['paced', e2e.paced]] as const) {
      const failed = figures.requests.non2xx + figures.requests.errors + figures.requests.timeouts;
      if (failed > 0) problems.push(`end to end (${name}): ${figures.requests.non2xx} non-2xx, ${figures.requests.errors} errors, ${figures.requests.timeouts} timeouts`);
      if (figures.unprocessed > 0) problems.push(`end to end (${name}): ${figures.unprocessed} accepted events not processed within the drain timeout`);
    }
  }
  for (const run of results.reconciler?.runs ?? []) {
    if (run.failed > 0 || run.status !== 'completed') problems.push(`reconciler at ${run.ledgerRecords} records: ${run.status}, ${run.failed} scope(s) failed`);
    if (run.enqueued !== results.reconciler?.missing) problems.push(`reconciler at ${run.ledgerRecords} records: enqueued ${run.enqueued}, expected the ${results.reconciler?.missing} missing events`);
  }
  const ceilings = results.ceilings;
  if (ceilings !== undefined) {
    const errors = ceilings.fauxqsSendMessage.errors + ceilings.dynamoDbPutItem.errors + ceilings.dynamoDbTransactWriteItems.errors;
    if (errors > 0) problems.push(`emulator ceilings: ${errors} calls failed`);
  }
  return problems;
};

const main = async (): Promise<number> => {
  installProcessGuards();
  const { sections, quick } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const machine = machineInfo();
  // Other work on the machine moves every figure: the load averages say how busy it was.
  const loadAverageAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  log(`Benchmarks on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}${quick ? ' (quick run)' : ''}`);
  const results: Results = {};
  // The timed sections first, while no emulator competes for the cores.
  if (sections.has('cold-start')) {
    log('cold start…');
    results.coldStart = measureColdStart({ runs: quick ? 8 : 30, log });
  }
  if (sections.has('ingest-cpu')) {
    log('ingest CPU…');
    results.ingestCpu = await measureIngestCpu({ rounds: quick ? 3 : 15, iterations: quick ? 1000 : 3000, log });
  }
  if (sections.has('partition-load')) {
    log('partition load…');
    results.partitionLoad = [];
    for (const skew of PARTITION_SKEWS) results.partitionLoad.push(await measurePartitionLoad({ eventsPerSecond: 1000, skew }));
  }
  const needsEmulators = ['worker', 'ceilings', 'end-to-end', 'reconciler'].some((section) => sections.has(section as Section));
  if (needsEmulators) {
    const emulators: BenchEmulator[] = [];
    try {
      log('starting DynamoDB Local and fauxqs on free ports…');
      const [dynamoDb, sqs] = await Promise.all([startDynamoDbLocal(), startFauxqs()]);
      emulators.push(dynamoDb, sqs);
      log(`  DynamoDB Local pid ${dynamoDb.process.pid} at ${dynamoDb.endpoint}; fauxqs pid ${sqs.process.pid} at ${sqs.endpoint}`);
      useEmulatorEndpoints({ dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint });
      if (sections.has('worker')) {
        log('worker requests and write units…');
        results.worker = await measureWorkerWrites({ events: quick ? 3 : 10, eventType: 'balance.available' });
        results.workerAccountUpdated = await measureWorkerWrites({ events: quick ? 3 : 10, eventType: 'account.updated' });
      }
      if (sections.has('ceilings')) {
        log('emulator ceilings…');
        results.ceilings = await measureCeilings({ callers: 16, warmUpSeconds: quick ? 1 : 3, seconds: quick ? 2 : 5 });
      }
      if (sections.has('end-to-end')) {
        log('end to end…');
        results.endToEnd = await measureEndToEnd({
          endpoints: { dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint },
          durationSeconds: quick ? 5 : 15,
          connections: 16,
          warmUpEvents: quick ? 100 : 300,
          pollers: 4,
          log,
        });
      }
      if (sections.has('reconciler')) {
        log('reconciler at scale…');
        results.reconciler = await measureReconcilerScale({
          endpoints: { dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint },
          accounts: quick ? 300 : 3000,
          ledgerSizes: quick ? [10_000, 30_000] : [100_000, 300_000],
          windowEvents: quick ? 2000 : 20_000,
          missing: 100,
          log,
        });
      }
    } finally {
      await Promise.all(emulators.map((emulator) => stop(emulator.process)));
    }
  }
  // Every process this run started must be gone by now.
  const processes = leftoverCheck();
  const rows = table(results);
  printTable(rows);
  for (const bundle of results.coldStart?.bundles ?? []) {
    log(`${bundle.name} bundle, largest parts: ${(bundle.topPackages ?? []).map((part) => `${part.name} ${kb(part.bytes)}`).join(', ')}`);
  }
  const problems = problemsOf(results);
  for (const { pid, name } of processes.leftovers) problems.push(`${name} (pid ${pid}) was still running after the benchmark; killed`);
  const full = !quick && SECTIONS.every((section) => sections.has(section));
  const file = join(__dirname, 'results', full ? 'latest.json' : 'partial.json');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const finishedAt = new Date();
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        runSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
        quick,
        sections: [...sections],
        machine: { ...machine, loadAverageAtStart, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
        ...results,
        problems,
      },
      null,
      2,
    )}\n`,
  );
  log(`Figures written to ${file} (run took ${Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000)} s).`);
  if (processes.leftovers.length === 0 && processes.started.length > 0) {
    log(`Every process it started has exited: ${processes.started.map(({ pid, name }) => `${name} (pid ${pid})`).join(', ')}.`);
  }
  for (const problem of problems) log(`PROBLEM: ${problem}`);
  return problems.length === 0 ? 0 : 1;
};

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    await stopAll();
    process.exit(1);
  });
