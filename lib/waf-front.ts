import { Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AllowedMethods, CachePolicy, Distribution, OriginProtocolPolicy, OriginRequestPolicy, PriceClass, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnIPSet, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../functions/core/origin-check';
import stripeWebhookIps from './data/stripe-webhook-ips.json';
import { createWebhookFunction, invokedSynchronouslyBy } from './webhook-function';
import type { WebhookFunction } from './webhook-function';

/** Stripe's published webhook source addresses, as shipped in `lib/data/stripe-webhook-ips.json`. */
export const STRIPE_WEBHOOK_IPS: readonly string[] = stripeWebhookIps.ips;

/**
 * The optional front that lets only Stripe reach the webhook API. AWS WAF cannot be associated with an API Gateway
 * HTTP API (only REST API stages, CloudFront, ALB, AppSync, Cognito, App Runner, Amplify, Verified Access), so the
 * web ACL sits on a CloudFront distribution in front of it, and a Lambda authorizer on the API refuses every
 * request that did not come through that distribution.
 */
export interface WebhookFrontProps {
  /**
   * Source addresses allowed through the web ACL: IPv4 addresses or CIDR blocks.
   * @default - Stripe's webhook IPs, `STRIPE_WEBHOOK_IPS` (see lib/data/stripe-webhook-ips.json for when they were taken)
   */
  readonly allowedSourceIps?: readonly string[];
  /**
   * Requests one source IP may send in 5 minutes before the web ACL blocks it for a while. Stripe's delivery IPs are
   * shared by every Stripe account, so another account pointed at these URLs could otherwise use up the stage's
   * throttle from them.
   * @default - twice an even share of the stage's 5-minute allowance per allowed address (at least 100)
   */
  readonly rateLimitPerFiveMinutes?: number;
  /**
   * An existing web ACL of scope CLOUDFRONT (which AWS keeps in us-east-1) to attach instead of creating one.
   * Required when the stack is not deployed in us-east-1.
   * @default - a web ACL is created; the stack must then be in us-east-1
   */
  readonly webAclArn?: string;
}

/** What the front is made of. */
export interface WebhookFront {
  readonly distribution: Distribution;
  /** The created web ACL; undefined when `webAclArn` named an existing one. */
  readonly webAcl: CfnWebACL | undefined;
  /** The token CloudFront adds to every request as `x-origin-verify`. */
  readonly originToken: Secret;
  readonly authorizerFunction: WebhookFunction;
}

/** Settings the front shares with the rest of the construct. */
export interface WebhookFrontSettings {
  readonly throttleRateLimit: number;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly applicationLogLevel: ApplicationLogLevel;
}

const asCidr = (address: string): string => (address.includes('/') ? address : `${address}/32`);

/** The default per-IP rate: twice an even share, over the allowed addresses, of what the stage lets through in 5 minutes. */
export const defaultRateLimit = (throttleRateLimit: number, addresses: number): number => Math.max(100, Math.ceil((2 * throttleRateLimit * 300) / Math.max(1, addresses)));

/**
 * The authorizer half, built before the API: a generated token, and the function refusing requests without it.
 * Identity source: API Gateway answers 401 itself to a request without the header, without invoking the function,
 * and caches the answer for a header value for an hour.
 */
export const createOriginAuthorizer = (scope: Construct, settings: WebhookFrontSettings): { readonly authorizer: HttpLambdaAuthorizer; readonly originToken: Secret; readonly fn: WebhookFunction } => {
  const originToken = new Secret(scope, 'OriginVerifyToken', {
    description: 'Token the CloudFront webhook front adds to every request (x-origin-verify); the API refuses requests without it.',
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
    removalPolicy: settings.removalPolicy,
  });
  Validations.of(originToken).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'The token is resolved into the CloudFront origin header and the authorizer at deployment; rotating it in Secrets Manager alone would lock Stripe out until the next deployment. Replace it by redeploying with a new secret.',
  });
  const fn = createWebhookFunction(scope, 'OriginAuthorizer', {
    entry: 'origin-authorizer/handler.ts',
    memorySize: 128,
    timeout: Duration.seconds(3),
    environment: { ORIGIN_VERIFY_TOKEN: originToken.secretValue.unsafeUnwrap() },
    logRetention: settings.logRetention,
    removalPolicy: settings.removalPolicy,
    applicationLogLevel: settings.applicationLogLevel,
    withoutDeadLetterQueue: invokedSynchronouslyBy('the HTTP API, as its Lambda authorizer: a failure is a 5xx that Stripe retries'),
  });
  const authorizer = new HttpLambdaAuthorizer('OriginAuthorizer', fn.fn, {
    identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
    responseTypes: [HttpLambdaResponseType.SIMPLE],
    resultsCacheTtl: Duration.hours(1),
  });
  return { authorizer, originToken, fn };
};

/** The web ACL: block by default, block any source above the rate, allow the listed sources. */
const createWebAcl = (scope: Construct, options: { readonly addresses: readonly string[]; readonly rateLimit: number }): CfnWebACL => {
  const ipSet = new CfnIPSet(scope, 'StripeWebhookIps', { scope: 'CLOUDFRONT', ipAddressVersion: 'IPV4', addresses: options.addresses.map(asCidr), description: 'Sources allowed to call the webhook API' });
  const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
  return new CfnWebACL(scope, 'WebhookWebAcl', {
    scope: 'CLOUDFRONT',
    defaultAction: { block: {} },
    visibilityConfig: visibility('webhook-front'),
    rules: [
      {
        name: 'rate-per-source-ip',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: options.rateLimit, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('webhook-front-rate'),
      },
      {
        name: 'allow-stripe-webhook-ips',
        priority: 1,
        action: { allow: {} },
        statement: { ipSetReferenceStatement: { arn: ipSet.attrArn } },
        visibilityConfig: visibility('webhook-front-allowed'),
      },
    ],
  });
};

/** The front half, built after the API: the web ACL (or the given one) on a CloudFront distribution that adds the token. */
export const createWebhookFront = (
  scope: Construct,
  options: WebhookFrontProps & { readonly httpApi: HttpApi; readonly originToken: Secret; readonly throttleRateLimit: number },
): { readonly distribution: Distribution; readonly webAcl: CfnWebACL | undefined } => {
  const region = Stack.of(scope).region;
  if (options.webAclArn === undefined && region !== 'us-east-1') {
    throw new Error(
      `webhookFront creates a CLOUDFRONT-scope web ACL, which AWS keeps in us-east-1, but this stack's region is ${Token.isUnresolved(region) ? 'not set (environment-agnostic)' : region}: deploy the stack with env: { region: 'us-east-1' }, or create the web ACL in us-east-1 and pass its ARN as webhookFront.webAclArn`,
    );
  }
  const addresses = options.allowedSourceIps ?? STRIPE_WEBHOOK_IPS;
  if (addresses.length === 0) throw new Error('webhookFront.allowedSourceIps must list at least one address');
  const rateLimit = options.rateLimitPerFiveMinutes ?? defaultRateLimit(options.throttleRateLimit, addresses.length);
  if (!Number.isInteger(rateLimit) || rateLimit < 10) throw new Error('webhookFront.rateLimitPerFiveMinutes must be an integer of at least 10 (AWS WAF\'s minimum)');
  const webAcl = options.webAclArn === undefined ? createWebAcl(scope, { addresses, rateLimit }) : undefined;
  const apiDomain = Fn.select(2, Fn.split('/', options.httpApi.apiEndpoint));
  const distribution = new Distribution(scope, 'WebhookFront', {
    comment: 'Stripe webhooks: only Stripe\'s addresses pass the web ACL',
    defaultBehavior: {
      origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY, customHeaders: { [ORIGIN_VERIFY_HEADER]: options.originToken.secretValue.unsafeUnwrap() } }),
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Every webhook is a distinct POST: nothing may be cached, and every viewer header (Stripe-Signature) goes on.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    },
    priceClass: PriceClass.PRICE_CLASS_100,
    webAclId: options.webAclArn ?? webAcl?.attrArn,
  });
  Validations.of(distribution).acknowledge(
    { id: 'AwsSolutions-CFR1', reason: 'Stripe delivers from a fixed list of addresses in several countries; the web ACL allows exactly those, which is stricter than a geo restriction.' },
    { id: 'AwsSolutions-CFR3', reason: 'The HTTP API keeps JSON access logs of every request that passes the front, and the web ACL publishes metrics and sampled requests of those it blocks.' },
    { id: 'AwsSolutions-CFR4', reason: 'The distribution uses its default cloudfront.net certificate, for which CloudFront fixes the TLS policy; Stripe connects with TLS 1.2 or newer.' },
  );
  return { distribution, webAcl };
};
