import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synthesize } from './fixture';

describe('infrastructure: the thin route', () => {
  const { stack, template } = synthesize();
  const apiId = logicalId(stack.webhooks.httpApi, stack);

  test('POST /webhooks/thin is a route of the HTTP API, integrated with the ingest', () => {
    // Prepare
    const routeKey = 'POST /webhooks/thin';

    // Act
    const assess = () => template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: { Ref: apiId }, RouteKey: routeKey, Target: Match.anyValue() });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the stack outputs the thin destination URL as ThinWebhookUrl', () => {
    // Prepare
    const outputs = template.findOutputs('ThinWebhookUrl');

    // Act
    const value = JSON.stringify(outputs.ThinWebhookUrl?.Value);

    // Assess
    expect(value).toContain('/webhooks/thin');
  });
});
