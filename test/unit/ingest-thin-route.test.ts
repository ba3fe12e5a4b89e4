import Stripe from 'stripe';
import { apiGatewayEvent, makeEventBody, nowSeconds, signPayload } from '../support/event-factory';
import { ACCOUNT_SECRET, CONNECT_SECRET, GENERIC_BODIES, bodyOf, createIngestHarness } from '../support/ingest-harness';
import { THIN_FIXTURE_ACCOUNT, THIN_FIXTURE_SECRET, loadThinNotification, loadThinSignature } from '../support/thin-fixtures';

const THIN_SECRET = 'whsec_unit_thin_77aa88bb99cc';
const env = { STRIPE_WEBHOOK_SECRET: ACCOUNT_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET, STRIPE_THIN_WEBHOOK_SECRET: `whsec_old_thin_secret,${THIN_SECRET}` };
const TYPE = 'v2.core.account[requirements].updated';

describe('ingest: the thin route', () => {
  test('a signed thin notification on /webhooks/thin is enqueued byte for byte, with its context as the account', async () => {
    // Prepare
    const harness = createIngestHarness({ env });
    const payload = loadThinNotification(TYPE);
    const header = signPayload({ payload, secret: THIN_SECRET, timestamp: nowSeconds(harness.clock.now()) });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/thin', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    const { id } = JSON.parse(payload) as { id: string };
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ received: true, id });
    expect(harness.queue.sent).toHaveLength(1);
    expect(harness.queue.sent[0]?.body).toBe(payload);
    expect(harness.queue.sent[0]?.attributes).toEqual({ eventId: id, eventType: TYPE, livemode: false, route: 'thin', account: THIN_FIXTURE_ACCOUNT });
  });

  test('the shipped fixture header verifies at its own time with the fixture secret, as stripe-node verifies it', async () => {
    // Prepare
    const { header, timestamp } = loadThinSignature(TYPE);
    const harness = createIngestHarness({ env: { ...env, STRIPE_THIN_WEBHOOK_SECRET: THIN_FIXTURE_SECRET }, nowMs: (timestamp + 5) * 1000 });
    const payload = loadThinNotification(TYPE);
    const oracle = new Stripe('sk_test_unused').parseEventNotification(payload, header, THIN_FIXTURE_SECRET, 300, undefined, (timestamp + 5) * 1000);

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/thin', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(oracle.id).toBe((JSON.parse(payload) as { id: string }).id);
    expect(response.statusCode).toBe(200);
  });

  test('a thin notification on the Connect route is refused with 400, the reason logged', async () => {
    // Prepare
    const harness = createIngestHarness({ env });
    const payload = loadThinNotification(TYPE);
    const header = signPayload({ payload, secret: CONNECT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/connect', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[400]);
    expect(harness.queue.sent).toHaveLength(0);
    expect(harness.logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'webhook refused', attributes: expect.objectContaining({ code: 'event.invalid', detail: expect.stringContaining('send it to the thin route, /webhooks/thin') }) }));
  });

  test('a v1 snapshot event on the thin route is refused with 400, the reason logged', async () => {
    // Prepare
    const harness = createIngestHarness({ env });
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: THIN_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/thin', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.queue.sent).toHaveLength(0);
    expect(harness.logger.lines).toContainEqual(expect.objectContaining({ attributes: expect.objectContaining({ code: 'event.invalid', detail: expect.stringContaining('a v1 snapshot event was sent to the thin route') }) }));
  });

  test("the thin route checks its own secrets: the Connect endpoint's secret does not verify there", async () => {
    // Prepare
    const harness = createIngestHarness({ env });
    const payload = loadThinNotification(TYPE);
    const header = signPayload({ payload, secret: CONNECT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/thin', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.logger.lines).toContainEqual(expect.objectContaining({ attributes: expect.objectContaining({ code: 'signature.no_matching_signature' }) }));
  });

  test('during a rotation both thin secrets verify', async () => {
    // Prepare
    const harness = createIngestHarness({ env });
    const payload = loadThinNotification(TYPE);

    // Act
    const responses = await Promise.all(
      ['whsec_old_thin_secret', THIN_SECRET].map((secret) => harness.handle(apiGatewayEvent({ path: '/webhooks/thin', body: payload, headers: { 'stripe-signature': signPayload({ payload, secret }) } }))),
    );

    // Assess
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
  });

  test('without a thin secret configured the route answers 500 so Stripe retries', async () => {
    // Prepare
    const harness = createIngestHarness({ env: { STRIPE_WEBHOOK_SECRET: ACCOUNT_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET } });
    const payload = loadThinNotification(TYPE);

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/thin', body: payload, headers: { 'stripe-signature': signPayload({ payload, secret: THIN_SECRET }) } }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(harness.logger.lines).toContainEqual(expect.objectContaining({ attributes: expect.objectContaining({ code: 'config.invalid' }) }));
  });
});
