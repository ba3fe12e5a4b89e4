import type { RemovalPolicy } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpStage, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The paths Stripe posts to: the platform (account) endpoint, the Connect endpoint and the thin event destination. */
export const WEBHOOK_PATHS = { account: '/webhooks/account', connect: '/webhooks/connect', thin: '/webhooks/thin' } as const;

/**
 * One JSON line per request. `$context.status` and friends are quoted, so an absent value (`-`) still parses.
 * HTTP APIs' `responseLatency` is the whole request as API Gateway saw it; `integrationLatency` the ingest's share.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
} as const;

/** What {@link createWebhookHttpApi} builds. */
export interface WebhookHttpApi {
  readonly httpApi: HttpApi;
  /** The `$default` stage, carrying the throttling and the access logs. */
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
}

/**
 * The public HTTP API in front of the ingest: the two webhook routes plus `$default`, one throttled `$default`
 * stage, and JSON access logs. Built in `scope` itself (not a child construct) so the API keeps the logical ID it
 * had before throttling and logs were added: a new ID would replace the API and change both webhook URLs.
 */
export const createWebhookHttpApi = (
  scope: Construct,
  options: {
    readonly ingest: IFunction;
    readonly throttleRateLimit: number;
    readonly throttleBurstLimit: number;
    readonly logRetention: RetentionDays;
    readonly removalPolicy: RemovalPolicy;
    /** Guards every route, e.g. the webhook front's origin check. @default - none */
    readonly authorizer?: IHttpRouteAuthorizer;
  },
): WebhookHttpApi => {
  const integration = new HttpLambdaIntegration('IngestIntegration', options.ingest);
  // The automatic default stage takes no throttling or log settings, so the same stage is declared by hand, with
  // the ID the automatic one had ('DefaultStage' under the API), which keeps its logical ID.
  // The $default route sends unknown paths and methods to the ingest too, which answers 404/405 itself.
  const httpApi = new HttpApi(scope, 'HttpApi', {
    defaultIntegration: integration,
    createDefaultStage: false,
    ...(options.authorizer === undefined ? {} : { defaultAuthorizer: options.authorizer }),
  });
  for (const routePath of Object.values(WEBHOOK_PATHS)) {
    httpApi.addRoutes({ path: routePath, methods: [HttpMethod.POST], integration });
  }
  const accessLogGroup = new LogGroup(scope, 'ApiAccessLogs', { retention: options.logRetention, removalPolicy: options.removalPolicy });
  const stage = httpApi.addStage('DefaultStage', {
    autoDeploy: true,
    // A flood (a retry storm or abuse) gets 429s, which Stripe retries, instead of reaching Lambda and SQS.
    throttle: { rateLimit: options.throttleRateLimit, burstLimit: options.throttleBurstLimit },
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogGroup),
      format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    },
  });
  if (options.authorizer === undefined) acknowledgeNoAuthorizer(httpApi);
  return { httpApi, stage, accessLogGroup };
};

/** Stripe cannot send credentials an authorizer could check: its calls are authenticated by their signature. */
const acknowledgeNoAuthorizer = (httpApi: HttpApi): void => {
  Validations.of(httpApi).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'Stripe webhook calls carry no credentials an API Gateway authorizer could check. Each request is authenticated by the ingest, which verifies the Stripe-Signature HMAC over the exact raw body against the endpoint secrets in Secrets Manager and refuses (4xx, nothing enqueued) anything unsigned, mis-signed or older than 300 s.',
  });
};
