import { App, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import stripeWebhookIps from '../../lib/data/stripe-webhook-ips.json';
import { nagPacks } from '../../lib/nag';
import { StripeConnectWebhooks } from '../../lib/stripe-connect-webhooks';
import type { StripeConnectWebhooksProps } from '../../lib/stripe-connect-webhooks';
import { STRIPE_WEBHOOK_IPS, defaultRateLimit } from '../../lib/waf-front';
import { actionsOf, propertiesOf, statementsOfRole } from './fixture';

const EXISTING_ACL = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/stripe-webhooks/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

/** The construct alone in a stack of this region (unbundled: template assertions only). */
const build = (props: StripeConnectWebhooksProps, region: string | undefined = 'us-east-1') => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'FrontStack', region === undefined ? {} : { env: { account: '111122223333', region } });
  const webhooks = new StripeConnectWebhooks(stack, 'Webhooks', props);
  const template = Template.fromStack(stack);
  const idOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  return { stack, webhooks, template, idOf };
};

describe('webhook front (CloudFront + AWS WAF), off by default', () => {
  test('without webhookFront there is no web ACL, distribution or authorizer: it costs nothing idle', () => {
    // Prepare
    const props = {};

    // Act
    const { template } = build(props);

    // Assess
    for (const type of ['AWS::WAFv2::WebACL', 'AWS::WAFv2::IPSet', 'AWS::CloudFront::Distribution', 'AWS::ApiGatewayV2::Authorizer']) template.resourceCountIs(type, 0);
  });
});

describe('webhook front in us-east-1', () => {
  const built = build({ webhookFront: {} });
  const { template, webhooks, idOf, stack } = built;

  test('the web ACL is of CLOUDFRONT scope and blocks by default', () => {
    // Prepare
    const type = 'AWS::WAFv2::WebACL';

    // Act
    const assess = () => template.hasResourceProperties(type, { Scope: 'CLOUDFRONT', DefaultAction: { Block: {} } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('it allows exactly Stripe\'s published webhook IPs, from the data file', () => {
    // Prepare
    const expected = stripeWebhookIps.ips.map((ip) => `${ip}/32`);

    // Act
    const ipSets = Object.values(template.findResources('AWS::WAFv2::IPSet')) as { Properties: { Addresses: string[]; Scope: string } }[];

    // Assess
    expect(ipSets).toHaveLength(1);
    expect(ipSets[0]?.Properties.Addresses).toEqual(expected);
    expect(ipSets[0]?.Properties.Scope).toBe('CLOUDFRONT');
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Name: 'allow-stripe-webhook-ips', Action: { Allow: {} }, Statement: { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } } })]),
    });
  });

  test('a per-IP rate rule blocks, ahead of the allow rule, at twice an even share of the stage\'s allowance', () => {
    // Prepare
    const limit = defaultRateLimit(100, STRIPE_WEBHOOK_IPS.length);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([Match.objectLike({ Name: 'rate-per-source-ip', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: 'IP' } } })]),
      });

    // Assess
    expect(limit).toBe(4000);
    expect(assess).not.toThrow();
  });

  test('the distribution carries the web ACL, caches nothing, passes every method and adds the origin token header', () => {
    // Prepare
    const aclId = Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0] ?? '';

    // Act
    const config = propertiesOf(template, 'AWS::CloudFront::Distribution', idOf(webhooks.webhookFront!.distribution)).DistributionConfig as Record<string, unknown>;

    // Assess
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(config.DefaultCacheBehavior).toMatchObject({ AllowedMethods: expect.arrayContaining(['POST']), CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', ViewerProtocolPolicy: 'https-only' });
    expect(JSON.stringify(config.Origins)).toContain('"HeaderName":"x-origin-verify"');
  });

  test('every route of the HTTP API goes through the origin authorizer, which needs the x-origin-verify header', () => {
    // Prepare
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as { Properties: { AuthorizationType?: string } }[];

    // Act
    const authorizer = template.findResources('AWS::ApiGatewayV2::Authorizer');

    // Assess
    expect(routes.length).toBeGreaterThanOrEqual(3);
    expect(routes.map((route) => route.Properties.AuthorizationType)).toEqual(routes.map(() => 'CUSTOM'));
    expect(Object.values(authorizer).map((resource) => (resource as { Properties: Record<string, unknown> }).Properties)).toEqual([
      expect.objectContaining({ IdentitySource: ['$request.header.x-origin-verify'], EnableSimpleResponses: true, AuthorizerResultTtlInSeconds: 3600 }),
    ]);
  });

  test('the origin authorizer may only write its own log group', () => {
    // Prepare
    const fn = webhooks.webhookFront!.authorizerFunction;

    // Act
    const actions = actionsOf(statementsOfRole(template, idOf(fn.fn.role!)));

    // Assess
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  test('the webhook URLs are the distribution\'s', () => {
    // Prepare
    const distributionId = idOf(webhooks.webhookFront!.distribution);

    // Act
    const url = JSON.stringify(stack.resolve(webhooks.accountWebhookUrl));

    // Assess
    expect(url).toContain(distributionId);
    expect(url).toContain('/webhooks/account');
  });

  test('cdk-nag finds nothing unacknowledged in the front', () => {
    // Prepare
    const packs = nagPacks();

    // Act
    const findings = packs.flatMap((pack) => pack.validateScope(stack).violations.map((violation) => violation.ruleName));

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('webhook front options', () => {
  test('allowedSourceIps and rateLimitPerFiveMinutes override the defaults', () => {
    // Prepare
    const props = { webhookFront: { allowedSourceIps: ['198.51.100.7', '203.0.113.0/28'], rateLimitPerFiveMinutes: 900 } };

    // Act
    const { template } = build(props);

    // Assess
    template.hasResourceProperties('AWS::WAFv2::IPSet', { Addresses: ['198.51.100.7/32', '203.0.113.0/28'] });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: { Limit: 900, AggregateKeyType: 'IP' } } })]) });
  });

  test('outside us-east-1 without webAclArn, synth fails and says what to do', () => {
    // Prepare
    const props = { webhookFront: {} };

    // Act
    const synth = () => build(props, 'eu-west-1');

    // Assess
    expect(synth).toThrow(/us-east-1.*webhookFront\.webAclArn/);
  });

  test('with webAclArn, no web ACL is created and the distribution uses the given one, in any region', () => {
    // Prepare
    const props = { webhookFront: { webAclArn: EXISTING_ACL } };

    // Act
    const { template } = build(props, 'eu-west-1');

    // Assess
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: { WebACLId: EXISTING_ACL } });
  });

  test('the data file says where and when the addresses were taken', () => {
    // Prepare
    const file = stripeWebhookIps;

    // Act
    const taken = Date.parse(file.takenOn);

    // Assess
    expect(file.source).toMatch(/^https:\/\/stripe\.com\/files\/ips\/ips_webhooks\./);
    expect(Number.isNaN(taken)).toBe(false);
    expect(file.ips.every((ip) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip))).toBe(true);
  });
});
