/** The webhook routes the doctor checks; `thin` exists only on deployments that have the thin-event route. */
export const DOCTOR_ROUTES = ['account', 'connect', 'thin'] as const;
export type DoctorRoute = (typeof DOCTOR_ROUTES)[number];

/**
 * What the doctor observes of one pipeline, a deployed stack or the local one. Each method reads one thing;
 * a method that throws fails only its own check.
 */
export interface DoctorProbe {
  /** `stack Payments (eu-west-1)` or `local pipeline at http://localhost:4242`. */
  readonly target: string;
  /** Whether Stripe reaches this pipeline through endpoints of its own (a deployed stack), which the doctor then checks. */
  readonly hasStripeEndpoints: boolean;
  /** Whether the reconciler runs on a schedule here (a deployed stack with `reconcilerEnabled`). */
  readonly reconcilerScheduled: boolean;
  /** How to run a CLI command against this pipeline, for the fixes: `npx connect-webhooks` plus `--stack …` when deployed. */
  readonly cli: (command: string) => string;
  /** Problems with the deployment itself: missing stack outputs, a pipeline that does not answer; empty when fine. */
  setupProblems(): Promise<readonly string[]>;
  /** What the setup check reports when it passes. */
  setupSummary(): string;
  /** The public URL of each route this pipeline serves; `thin` is undefined when it has no thin route. */
  routeUrls(): Readonly<Partial<Record<DoctorRoute, string>>>;
  /** The signing secrets of each route; a route absent from the document is undefined. */
  secretLists(): Promise<Readonly<Partial<Record<DoctorRoute, readonly string[]>>>>;
  /** The Stripe API key, or undefined when none is stored (blank counts as none). */
  stripeApiKey(): Promise<string | undefined>;
  /** Where the fix for a missing or wrong Stripe API key goes. */
  readonly apiKeyFix: string;
  deadLetterDepth(): Promise<number>;
  /** Age of the oldest message waiting in the event queue, in seconds; undefined when the queue is empty. */
  oldestMessageAgeSeconds(): Promise<number | undefined>;
  /** When the worker last committed an event `processed` (epoch ms), or undefined when not within the lookback. */
  lastProcessedAt(): Promise<number | undefined>;
  /** How far back `lastProcessedAt` looks, in seconds. */
  readonly processedLookbackSeconds: number;
  /** When the reconciler last saved a cursor (epoch ms), or undefined when it never completed a scope. */
  reconcilerLastRunAt(): Promise<number | undefined>;
  /** Names of this pipeline's alarms that are in ALARM, or undefined where there are no alarms (locally). */
  alarmsInAlarm(): Promise<readonly string[] | undefined>;
  /** Releases the clients' connections. */
  close(): void;
}
