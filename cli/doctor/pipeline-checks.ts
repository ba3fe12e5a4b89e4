import { WEBHOOK_SECRET_VARIABLES } from '../../functions/adapters/env-webhook-secrets';
import type { Check } from './check';
import { fail, formatAge, ok, skip, warn } from './check';
import type { DoctorProbe, DoctorRoute } from './probe';
import { DOCTOR_ROUTES } from './probe';

/** A queued message older than this fails the check: the worker is stalled, throttled or failing everything. */
export const QUEUE_AGE_LIMIT_SECONDS = 15 * 60;
/** A scheduled reconciler (every 15 minutes by default) whose last completed scope is older than this fails the check. */
export const RECONCILER_STALE_SECONDS = 60 * 60;

const SECRET_FLAG: Record<DoctorRoute, string> = { account: '--account', connect: '--connect', thin: '--thin' };

/** The deployment itself: stack outputs present, or the local pipeline answering. */
export const setupCheck = (probe: DoctorProbe): Check => ({
  id: 'setup',
  title: probe.hasStripeEndpoints ? 'stack outputs' : 'local pipeline',
  run: async () => {
    const problems = await probe.setupProblems();
    if (problems.length === 0) return ok(probe.setupSummary());
    const fix = probe.hasStripeEndpoints
      ? 'deploy the stack completely with this version (`npx cdk deploy`), and check --stack and --region'
      : 'start the pipeline with `npm start` (in another terminal), or pass --stack <name> for a deployed one';
    return fail(problems.join('; '), fix);
  },
});

/** Each route has at least one signing secret; the thin route only when the deployment has one. */
export const secretChecks = (probe: DoctorProbe): Check[] =>
  DOCTOR_ROUTES.map((route) => ({
    id: `secrets.${route}`,
    title: `secrets: ${route} route`,
    run: async () => {
      const configured = probe.routeUrls()[route] !== undefined;
      const list = (await probe.secretLists())[route];
      const set = probe.hasStripeEndpoints
        ? probe.cli(`secrets set ${SECRET_FLAG[route]} whsec_…`)
        : `start the pipeline with the route's secret in its variable (${WEBHOOK_SECRET_VARIABLES[route]})`;
      if (!configured && (list === undefined || list.length === 0)) {
        if (route !== 'thin') return fail('no URL for this route', 'deploy the stack completely with this version');
        return warn('not configured: no thin-event route here', `${probe.hasStripeEndpoints ? 'deploy' : 'run'} a version with the thin route to receive Accounts v2 (thin) events`);
      }
      if (list === undefined || list.length === 0) {
        return fail('no signing secret: every delivery to this route is answered 500 and retried by Stripe', `${set} (the secret Stripe shows for the endpoint; \`endpoints create\` stores it for you)`);
      }
      return ok(`${list.length} secret${list.length === 1 ? '' : 's'}${list.length > 1 ? ' (a rotation is under way: prune the old one once it expired)' : ''}`);
    },
  }));

/** The dead-letter queue is empty. */
export const deadLetterCheck = (probe: DoctorProbe): Check => ({
  id: 'dead-letter-queue',
  title: 'dead-letter queue',
  run: async () => {
    const depth = await probe.deadLetterDepth();
    if (depth === 0) return ok('empty');
    return fail(
      `${depth} message${depth === 1 ? '' : 's'}: events failed every delivery attempt`,
      `find them with \`${probe.cli('events list --status failed')}\`, fix the cause, then \`${probe.cli('replay dlq')}\` (or "Start DLQ redrive" in the SQS console)`,
    );
  },
});

/** The oldest message in the event queue is young: the worker keeps up. */
export const queueAgeCheck = (probe: DoctorProbe): Check => ({
  id: 'queue-age',
  title: 'oldest queued message',
  run: async () => {
    const age = await probe.oldestMessageAgeSeconds();
    if (age === undefined) return ok('queue empty');
    if (age <= QUEUE_AGE_LIMIT_SECONDS) return ok(`${formatAge(age)} old`);
    return fail(
      `${formatAge(age)} old (limit ${formatAge(QUEUE_AGE_LIMIT_SECONDS)}): the worker is stalled, throttled or failing`,
      probe.hasStripeEndpoints ? "read the worker's errors, throttles and logs on the dashboard (DashboardUrl); see docs/operations.md, event-queue-backlog" : 'check the `npm start` terminal for worker errors, and restart it',
    );
  },
});

/** The worker processed an event recently. No traffic is not a failure: a warning. */
export const lastProcessedCheck = (probe: DoctorProbe, nowMs: number): Check => ({
  id: 'last-processed',
  title: 'last processed event',
  run: async () => {
    const at = await probe.lastProcessedAt();
    if (at !== undefined) return ok(`${formatAge((nowMs - at) / 1000)} ago`);
    return warn(
      `none in the last ${formatAge(probe.processedLookbackSeconds)}`,
      probe.hasStripeEndpoints
        ? "if Stripe should have sent events, check the endpoint checks above and the ingest's signature failures; send the Dashboard's test webhook to try"
        : `send one: \`${probe.cli('trigger account.updated --account acct_123')}\``,
    );
  },
});

/** The reconciler completed a scope recently (it saves a cursor per scope). */
export const reconcilerCheck = (probe: DoctorProbe, nowMs: number): Check => ({
  id: 'reconciler',
  title: 'reconciler last run',
  run: async () => {
    const at = await probe.reconcilerLastRunAt();
    const runByHand = `\`${probe.cli('reconcile --since 1d')}\``;
    if (!probe.reconcilerScheduled) {
      return at === undefined ? skip(`not scheduled here; run it by hand: ${runByHand}`) : ok(`${formatAge((nowMs - at) / 1000)} ago (not scheduled here; run by hand)`);
    }
    const fix = 'read the reconciler log and the reconciler-errors alarm: store the Stripe API key (StripeApiKeySecretName) or give it read access to Events; see docs/operations.md';
    if (at === undefined) return fail('no completed run', fix);
    const age = (nowMs - at) / 1000;
    if (age > RECONCILER_STALE_SECONDS) return fail(`${formatAge(age)} ago (expected every 15 min by default)`, fix);
    return ok(`${formatAge(age)} ago`);
  },
});

/** None of the deployment's alarms is in ALARM. */
export const alarmsCheck = (probe: DoctorProbe): Check => ({
  id: 'alarms',
  title: 'alarms',
  run: async () => {
    const firing = await probe.alarmsInAlarm();
    if (firing === undefined) return skip('no CloudWatch alarms for the local pipeline');
    if (firing.length === 0) return ok('none in ALARM');
    return fail(`in ALARM: ${firing.join(', ')}`, 'see docs/operations.md for what each alarm means and what to do');
  },
});
