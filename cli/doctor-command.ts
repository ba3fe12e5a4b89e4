import { Command } from 'commander';
import type Stripe from 'stripe';
import { createStripeClientFactory, loadStripe } from '../functions/adapters/stripe-client';
import { describeError } from '../functions/core/errors';
import { STATE_FILE, readPipelineState } from '../local/local-settings';
import type { CheckResult } from './doctor/check';
import { fail, renderChecklist, runChecks } from './doctor/check';
import { createLocalProbe } from './doctor/local-probe';
import { alarmsCheck, deadLetterCheck, lastProcessedCheck, queueAgeCheck, reconcilerCheck, secretChecks, setupCheck } from './doctor/pipeline-checks';
import type { DoctorProbe } from './doctor/probe';
import { createStackProbe, createStackProbeClients } from './doctor/stack-probe';
import type { StackProbeClients } from './doctor/stack-probe';
import { stripeChecks } from './doctor/stripe-checks';
import { stackTargetOf, withStackOptions } from './target';

/** What `doctor` reaches the world through; tests replace the clock and point the clients at loopback fakes. */
export interface DoctorDependencies {
  readonly nowMs?: () => number;
  /** @default SDK v3 clients for the stack's region from the standard AWS settings */
  readonly stackClients?: (region: string) => StackProbeClients;
  /** @default the stripe package, pointed at `STRIPE_API_BASE_URL` when set */
  readonly stripeFor?: (apiKey: string) => Stripe;
}

interface DoctorOptions {
  readonly json?: boolean;
  readonly state?: string;
  readonly stack?: string;
  readonly region?: string;
}

/** The probe of the target, or the one failing check that says why there is none. */
const probeFor = async (options: DoctorOptions, deps: DoctorDependencies & { readonly nowMs: () => number }): Promise<DoctorProbe | { readonly target: string; readonly failure: CheckResult }> => {
  if (options.stack !== undefined) {
    try {
      const stack = await stackTargetOf(options);
      if (stack === undefined) throw new Error('no stack');
      return createStackProbe({ stack, clients: (deps.stackClients ?? createStackProbeClients)(stack.region), nowMs: deps.nowMs });
    } catch (error) {
      const failure = fail(describeError(error), 'check --stack and --region (or AWS_REGION), and your AWS credentials');
      return { target: `stack ${options.stack}`, failure: { id: 'setup', title: 'stack outputs', ...failure } };
    }
  }
  if (options.region !== undefined) throw new Error('--region applies to a deployed stack: pass --stack <name> with it.');
  const state = readPipelineState(options.state ?? STATE_FILE);
  if (state === undefined) {
    const failure = fail('no local pipeline is running in this checkout', 'start one with `npm start` (in another terminal), or pass --stack <name> for a deployed one');
    return { target: 'local pipeline', failure: { id: 'setup', title: 'local pipeline', ...failure } };
  }
  return createLocalProbe({ state, env: process.env, nowMs: deps.nowMs });
};

/** Every check, in the order the checklist shows them; a failing local setup stops there (nothing else can answer). */
const check = async (probe: DoctorProbe, deps: DoctorDependencies & { readonly nowMs: () => number }): Promise<CheckResult[]> => {
  const nowMs = deps.nowMs();
  const [setup] = await runChecks([setupCheck(probe)], 'run doctor again');
  if (setup === undefined || (setup.status === 'fail' && !probe.hasStripeEndpoints)) return setup === undefined ? [] : [setup];
  const stripe = deps.stripeFor === undefined ? await loadStripe() : undefined;
  const stripeFor = deps.stripeFor ?? ((apiKey: string) => createStripeClientFactory({ apiKey, baseUrl: process.env.STRIPE_API_BASE_URL, stripe: stripe! })(undefined));
  const rest = await runChecks(
    [
      ...secretChecks(probe),
      ...stripeChecks(probe, stripeFor),
      deadLetterCheck(probe),
      queueAgeCheck(probe),
      lastProcessedCheck(probe, nowMs),
      reconcilerCheck(probe, nowMs),
      alarmsCheck(probe),
    ],
    'check your AWS credentials and permissions (or that the local pipeline still runs), then run doctor again',
  );
  return [setup, ...rest];
};

const DOCTOR_HELP = `
Checks, in order (each failure or warning prints its fix):
  stack outputs / local pipeline   the stack's outputs are present / the pipeline answers /health
  secrets: <route> route           the account, connect and thin routes each have a signing secret
                                   (thin: a warning "not configured" when the stack has no thin route)
  Stripe API key                   the key is stored, valid, and may list events (the reconciler does)
  Stripe endpoint: account/connect an endpoint of the right kind points at the stack's URL, is enabled
                                   and subscribes to every event type the handlers need (stack only)
  Stripe destination: thin         a thin event destination points at the thin URL, is enabled and
                                   subscribes to every Accounts v2 type (when the stack has a thin route)
  dead-letter queue                empty
  oldest queued message            at most 15 min old (CloudWatch on a stack; the emulator locally)
  last processed event             within 24 h on a stack (a warning otherwise, not a failure)
  reconciler last run              a cursor saved within 1 h (stack; locally it runs only by hand)
  alarms                           none of the stack's alarms in ALARM

Exit status: 0 when no check failed (warnings allowed), 1 when one did.`;

/** `doctor`: checks a deployment (or the local pipeline) end to end and prints a checklist with a fix for each failure. */
export const doctorCommand = (deps: DoctorDependencies = {}): Command =>
  withStackOptions(
    new Command('doctor')
      .description('Check a deployment (or the local pipeline) end to end: outputs, secrets, Stripe endpoints and API key, queues, recent processing, the reconciler, alarms. Exits 1 when a check fails.')
      .option('--json', 'print the checks as JSON, for scripts')
      .option('--state <file>', 'state file of the local pipeline')
      .addHelpText('after', DOCTOR_HELP),
  ).action(async (options: DoctorOptions, command: Command) => {
    const settings = { ...deps, nowMs: deps.nowMs ?? Date.now };
    const probe = await probeFor({ ...command.optsWithGlobals<DoctorOptions>(), ...options }, settings);
    let results: CheckResult[];
    if ('failure' in probe) {
      results = [probe.failure];
    } else {
      try {
        results = await check(probe, settings);
      } finally {
        probe.close();
      }
    }
    const healthy = results.every((result) => result.status !== 'fail');
    console.log(options.json === true ? JSON.stringify({ target: probe.target, healthy, checks: results }, null, 2) : renderChecklist(probe.target, results));
    if (!healthy) process.exitCode = 1;
  });
