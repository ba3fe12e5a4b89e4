/**
 * Cold start: each Lambda bundle built as CDK builds it (lib/function-bundling.ts: esbuild, bundle, platform node,
 * ES module, `--main-fields=module,main`; target node20 here, the Node this machine runs, where CDK says node24 for
 * Lambda's runtime), then timed as fresh `node` processes that import it, against an empty `node -e ""` and against
 * the function's library floor (bench/floors: the same SDK clients, Powertools utilities and packages, built the
 * same way, doing one call, with none of our code), interleaved round by round so drift on a shared machine hits
 * every variant alike. The stripe package, which the worker and the reconciler import on first use, is timed the
 * same way, as what that first use costs; and the worker once more without stripe in its bundle, which is what a
 * side bundle of stripe (the former approach) would save at cold start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync, version as esbuildVersion } from 'esbuild';
import type { Metafile } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { FUNCTION_BUILD } from '../lib/function-bundling';
import { median, msSince, percentile, round } from './lib/stats';

const ROOT = join(__dirname, '..');

/** What the bundles are built from. */
export const BUNDLES = [
  { name: 'ingest', entry: join(ROOT, 'functions', 'ingest', 'handler.ts'), floor: join(ROOT, 'bench', 'floors', 'ingest.ts') },
  { name: 'worker', entry: join(ROOT, 'functions', 'worker', 'handler.ts'), floor: join(ROOT, 'bench', 'floors', 'worker.ts') },
  { name: 'reconciler', entry: join(ROOT, 'functions', 'reconciler', 'handler.ts'), floor: join(ROOT, 'bench', 'floors', 'reconciler.ts') },
  { name: 'seed approach', entry: join(ROOT, 'bench', 'seed', 'handler.ts') },
] as const;

/** The stripe package alone, built the same way: what the first `import('stripe')` of a worker or reconciler adds. */
const STRIPE_FIRST_USE = 'stripe, imported on first use';
/** The worker with stripe left out of its bundle: what shipping stripe as a side bundle would save. */
const WORKER_WITHOUT_STRIPE = 'worker without stripe in its bundle';
const floorName = (name: string): string => `${name} library floor`;

/**
 * The environment of a fresh Lambda sandbox, with the variables the stack sets on the three functions (dummy values):
 * nothing is called at module load, so no value has to reach anything. `WEBHOOK_SECRET_ID` makes the ingest take the
 * deployed path (a Secrets Manager client) rather than the `npm start` one.
 */
const lambdaEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  LANG: 'C.UTF-8',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-events',
  WEBHOOK_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-webhook-secret',
  WEBHOOK_SECRET_CACHE_SECONDS: '300',
  LEDGER_TABLE_NAME: 'bench-ledger',
  LEDGER_LEASE_SECONDS: '60',
  LEDGER_RETENTION_DAYS: '35',
  STATE_TABLE_NAME: 'bench-state',
  ACCEPTED_LIVEMODES: 'both',
  STRIPE_API_KEY_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-stripe-api-key',
  // The seed approach reads its secret from the environment.
  STRIPE_WEBHOOK_SECRET: 'whsec_bench_secret',
});

// Runs in the child: hrtime around the bundle's import alone (its module init), printed for the parent.
const IMPORT_SCRIPT =
  'const start = process.hrtime.bigint(); await import(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));';
const importArgs = (file: string): string[] => ['--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(file).href];

interface Variant {
  readonly name: string;
  readonly args: readonly string[];
  readonly bundle?: string;
}

interface Sample {
  readonly wallMs: number;
  readonly requireMs?: number;
}

/** One variant's figures. */
export interface ColdStartFigure {
  readonly name: string;
  readonly bundleBytes?: number;
  readonly bundleGzipBytes?: number;
  /** The function's library floor, when it has one. */
  readonly floor?: ColdStartFigure;
  /** Median and p90 wall time against its library floor's. */
  readonly ratioToFloor?: { readonly median: number; readonly p90: number };
  /** Largest contributors to the minified bundle, by package. */
  readonly topPackages?: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
  readonly wallMs: { readonly median: number; readonly p90: number };
  readonly requireMs?: { readonly median: number; readonly p90: number };
  /** Whole-process wall time against the empty process: median / median, p90 / p90. */
  readonly ratio?: { readonly median: number; readonly p90: number };
  /** Median wall time above the empty process. */
  readonly initOverEmptyMs?: number;
}

export interface ColdStartResult {
  readonly runsPerVariant: number;
  readonly esbuild: string;
  readonly buildOptions: string;
  readonly empty: ColdStartFigure;
  readonly bundles: readonly ColdStartFigure[];
  /** The stripe package's own bundle: what the worker's first custom handler call and the reconciler's first run add. */
  readonly stripeFirstUse: ColdStartFigure;
  /** The worker built with stripe left out: the most a side bundle of stripe could save. */
  readonly workerWithoutStripe: ColdStartFigure;
  /** Target: each function's wall time at most this many times its library floor's. */
  readonly targetRatioToFloor: number;
}

const packageOf = (input: string): string => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? '(project code)';

const topPackages = (metafile: Metafile): Array<{ name: string; bytes: number }> => {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) bytes.set(packageOf(input), (bytes.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, size]) => ({ name, bytes: size }));
};

/** Builds one bundle as CDK's NodejsFunction does with the construct's bundling options. */
const build = (options: { readonly entry: string; readonly outfile: string; readonly external?: readonly string[] }): Metafile =>
  buildSync({
    entryPoints: [options.entry],
    bundle: true,
    minify: FUNCTION_BUILD.minify,
    sourcemap: FUNCTION_BUILD.sourceMap,
    platform: 'node',
    format: FUNCTION_BUILD.format,
    mainFields: [...FUNCTION_BUILD.mainFields],
    banner: { js: FUNCTION_BUILD.banner },
    target: 'node20',
    external: [...(options.external ?? [])],
    outfile: options.outfile,
    metafile: true,
    logLevel: 'error',
  }).metafile;

const sizes = (file: string) => ({ bundleBytes: statSync(file).size, bundleGzipBytes: gzipSync(readFileSync(file)).length });

const failure = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && line.length < 300)
    .slice(-6)
    .join(' | ');

const runOnce = (variant: Variant, env: NodeJS.ProcessEnv): Sample => {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, variant.args, { env, encoding: 'utf8', timeout: 60_000 });
  const wallMs = msSince(start);
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`cold start of ${variant.name} failed (exit ${result.status ?? result.signal}): ${result.error?.message ?? failure(result.stderr)}`);
  }
  if (variant.bundle === undefined) return { wallMs };
  const requireMs = Number(result.stdout.trim());
  if (!Number.isFinite(requireMs)) throw new Error(`cold start of ${variant.name}: unexpected output ${JSON.stringify(result.stdout.slice(0, 200))}`);
  return { wallMs, requireMs };
};

const summary = (values: readonly number[]) => ({ median: round(median(values)), p90: round(percentile(values, 90)) });

export const measureColdStart = (options: { readonly runs: number; readonly log: (line: string) => void }): ColdStartResult => {
  const dir = mkdtempSync(join(tmpdir(), 'connect-webhooks-cold-start-'));
  try {
    const built = BUNDLES.map((bundle, index) => {
      const outfile = join(dir, String(index), 'index.mjs');
      const metafile = build({ entry: bundle.entry, outfile });
      const floor = 'floor' in bundle ? join(dir, String(index), 'floor.mjs') : undefined;
      if ('floor' in bundle && floor !== undefined) build({ entry: bundle.floor, outfile: floor });
      return { name: bundle.name, outfile, floor, ...sizes(outfile), topPackages: topPackages(metafile) };
    });
    const stripeFile = join(dir, 'stripe', 'index.mjs');
    build({ entry: join(ROOT, 'bench', 'floors', 'stripe-alone.ts'), outfile: stripeFile });
    const workerWithoutStripe = join(dir, 'worker-without-stripe', 'index.mjs');
    build({ entry: BUNDLES[1].entry, outfile: workerWithoutStripe, external: ['stripe'] });
    const variants: Variant[] = [
      { name: 'empty', args: ['-e', ''] },
      ...built.flatMap((bundle) => [
        { name: bundle.name, args: importArgs(bundle.outfile), bundle: bundle.outfile },
        ...(bundle.floor === undefined ? [] : [{ name: floorName(bundle.name), args: importArgs(bundle.floor), bundle: bundle.floor }]),
      ]),
      { name: STRIPE_FIRST_USE, args: importArgs(stripeFile), bundle: stripeFile },
      { name: WORKER_WITHOUT_STRIPE, args: importArgs(workerWithoutStripe), bundle: workerWithoutStripe },
    ];
    const env = lambdaEnv();
    const samples = new Map<string, Sample[]>(variants.map((variant) => [variant.name, []]));
    const warmUpRounds = 3;
    options.log(`  cold start: ${variants.length} variants × ${options.runs} interleaved runs (after ${warmUpRounds} warm-up rounds)`);
    for (let pass = 0; pass < warmUpRounds + options.runs; pass += 1) {
      // Rotate the order each round: no variant always runs first, or right after another.
      for (let offset = 0; offset < variants.length; offset += 1) {
        const variant = variants[(pass + offset) % variants.length] as Variant;
        const sample = runOnce(variant, env);
        if (pass >= warmUpRounds) samples.get(variant.name)?.push(sample);
      }
    }
    const figureOf = (name: string, emptyWall?: { median: number; p90: number }): ColdStartFigure => {
      const list = samples.get(name) ?? [];
      const wallMs = summary(list.map((sample) => sample.wallMs));
      const requires = list.flatMap((sample) => (sample.requireMs === undefined ? [] : [sample.requireMs]));
      return {
        name,
        wallMs,
        ...(requires.length > 0 ? { requireMs: summary(requires) } : {}),
        ...(emptyWall === undefined
          ? {}
          : { ratio: { median: round(wallMs.median / emptyWall.median), p90: round(wallMs.p90 / emptyWall.p90) }, initOverEmptyMs: round(wallMs.median - emptyWall.median, 1) }),
      };
    };
    const empty = figureOf('empty');
    const withFloor = (bundle: (typeof built)[number]): ColdStartFigure => {
      const { outfile: _outfile, floor: floorFile, ...rest } = bundle;
      const figure = { ...rest, ...figureOf(bundle.name, empty.wallMs) };
      if (floorFile === undefined) return figure;
      const floor = { ...sizes(floorFile), ...figureOf(floorName(bundle.name), empty.wallMs) };
      return { ...figure, floor, ratioToFloor: { median: round(figure.wallMs.median / floor.wallMs.median), p90: round(figure.wallMs.p90 / floor.wallMs.p90) } };
    };
    return {
      runsPerVariant: options.runs,
      esbuild: esbuildVersion,
      buildOptions: 'bundle, no minify, no source map, platform=node, format=esm, main-fields=module,main, require banner, target=node20 (CDK: the same with target=node24)',
      empty,
      bundles: built.map(withFloor),
      stripeFirstUse: { ...sizes(stripeFile), ...figureOf(STRIPE_FIRST_USE, empty.wallMs) },
      workerWithoutStripe: { ...sizes(workerWithoutStripe), ...figureOf(WORKER_WITHOUT_STRIPE, empty.wallMs) },
      targetRatioToFloor: 1.15,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
