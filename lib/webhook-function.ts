import * as path from 'node:path';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionBundling } from './function-bundling';

const FUNCTIONS_DIR = path.join(__dirname, '..', 'functions');

/** A function and the log group it writes to. */
export interface WebhookFunction {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
}

/** The reason for a function invoked only synchronously or by an event source mapping, never asynchronously. */
export const invokedSynchronouslyBy = (invoker: string): string =>
  `A function dead-letter queue only catches asynchronous invocations, and this function has none: it is invoked by ${invoker}.`;

/**
 * One of the Lambda functions: bundled on this machine by esbuild (no Docker), Node.js 24 on arm64, JSON logs
 * into its own log group, X-Ray active tracing, and a role of its own that may only write that log group and
 * send traces until grants add more.
 * Built in `scope` with the IDs `<id>`, `<id>Logs` and `<id>Role`.
 */
export const createWebhookFunction = (
  scope: Construct,
  id: string,
  options: {
    /** Entry file, relative to `functions/`. */
    readonly entry: string;
    readonly memorySize: number;
    readonly timeout: Duration;
    readonly environment: Record<string, string>;
    readonly logRetention: RetentionDays;
    readonly removalPolicy: RemovalPolicy;
    readonly applicationLogLevel: ApplicationLogLevel;
    /**
     * Why the function needs no dead-letter queue of its own: who invokes it and what becomes of a failure (the
     * reason of the acknowledged Serverless-LambdaDLQ finding). See {@link invokedSynchronouslyBy}.
     */
    readonly withoutDeadLetterQueue: string;
    /** @default - no reserved concurrency: the function shares the account's unreserved pool */
    readonly reservedConcurrentExecutions?: number;
  },
): WebhookFunction => {
  // An explicit log group, so retention and removal are ours rather than a never-expiring implicit group.
  const logGroup = new LogGroup(scope, `${id}Logs`, { retention: options.logRetention, removalPolicy: options.removalPolicy });
  // Instead of the AWS-managed AWSLambdaBasicExecutionRole, which may create and write any log group: the function
  // only ever writes its own.
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Execution role of the ${id} function` });
  logGroup.grants.write(role);
  acknowledgeTracingPermissions(role);
  const fn = new NodejsFunction(scope, id, {
    entry: path.join(FUNCTIONS_DIR, options.entry),
    handler: 'handler',
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    ...(options.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: options.reservedConcurrentExecutions }),
    role,
    logGroup,
    // The functions already write one JSON object per line; JSON format makes Lambda's own lines JSON too and lets
    // Lambda drop application lines below the level (the logger reads it as AWS_LAMBDA_LOG_LEVEL).
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: options.applicationLogLevel,
    // INFO keeps the REPORT lines (duration, max memory used) that sizing the functions relies on.
    systemLogLevelV2: SystemLogLevel.INFO,
    environment: options.environment,
    // Lambda traces each invocation (its init, the invocation, and the time spent calling out). CDK grants the role
    // xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray only offers on every resource.
    tracing: Tracing.ACTIVE,
    bundling: functionBundling(),
  });
  acknowledgeFunctionFindings(fn, options.withoutDeadLetterQueue);
  return { fn, logGroup };
};

/** Findings that do not apply to the function (no dead-letter queue needed). */
const acknowledgeFunctionFindings = (fn: NodejsFunction, withoutDeadLetterQueue: string): void => {
  Validations.of(fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason: withoutDeadLetterQueue });
};

/** Active tracing's two actions exist only on every resource: X-Ray has no resource-level permissions for them. */
const acknowledgeTracingPermissions = (role: Role): void => {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The only wildcard resource is that of xray:PutTraceSegments and xray:PutTelemetryRecords, which active tracing needs and which X-Ray only grants on "*" (it has no resource-level permissions). Every other grant names its table, queue, secret or log group.',
  });
};
