import { apiGatewayEvent, FIXTURE_ACCOUNT, makeEventBody, nowSeconds, signPayload } from '../support/event-factory';
import { ACCOUNT_SECRET, bodyOf, CONNECT_SECRET, createIngestHarness, GENERIC_BODIES } from '../support/ingest-harness';

describe('ingest handler: accepted events', () => {
  test('a valid signed event on /webhooks/account is answered 200 with its id and enqueued once, byte for byte', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const { id } = JSON.parse(payload) as { id: string };
    const header = signPayload({ payload, secret: ACCOUNT_SECRET, timestamp: nowSeconds(harness.clock.now()) });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/account', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(bodyOf(response)).toEqual({ received: true, id });
    expect(harness.queue.sent).toHaveLength(1);
    expect(Buffer.from(harness.queue.sent[0]?.body ?? '').equals(Buffer.from(payload))).toBe(true);
  });

  test('the queue message carries eventId, eventType, livemode, route and account as attributes', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody({ type: 'payout.paid', livemode: true });
    const { id } = JSON.parse(payload) as { id: string };
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(harness.queue.sent[0]?.attributes).toEqual({ eventId: id, eventType: 'payout.paid', livemode: true, route: 'account', account: FIXTURE_ACCOUNT });
  });

  test('a platform event without a top-level account is enqueued without an account attribute', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody({ account: undefined });
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent[0]?.attributes).not.toHaveProperty('account');
  });

  test('a Connect event with a top-level account on /webhooks/connect is enqueued with the account attribute', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: CONNECT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/connect', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
    expect(harness.queue.sent[0]?.attributes).toMatchObject({ route: 'connect', account: FIXTURE_ACCOUNT });
  });

  test('an event without a top-level account on /webhooks/connect is refused with 400 and not enqueued', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody({ account: undefined });
    const header = signPayload({ payload, secret: CONNECT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/connect', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[400]);
    expect(harness.queue.sent).toHaveLength(0);
    expect(harness.logger.linesAt('warn')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ code: 'event.invalid' }) })]);
  });

  test('a route with a trailing slash names the same endpoint', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/account/', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });

  test('an accepted event is logged once at info level without the payload or the secret', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody({ type: 'payout.paid' });
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(harness.logger.lines).toEqual([expect.objectContaining({ level: 'info', message: 'event enqueued' })]);
    expect(harness.logger.text()).not.toContain(ACCOUNT_SECRET);
    expect(harness.logger.text()).not.toContain('charges_enabled');
  });
});

describe('ingest handler: routing and infrastructure failures', () => {
  test('an unknown path is answered 404 and nothing is enqueued', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/other', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[404]);
    expect(harness.queue.sent).toHaveLength(0);
  });

  test('GET on a webhook route is answered 405 with an allow header naming POST', async () => {
    // Prepare
    const harness = createIngestHarness();

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/account', method: 'GET' }));

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'POST' });
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[405]);
    expect(harness.queue.sent).toHaveLength(0);
  });

  test('a queue failure is answered 503 so Stripe retries, and logged as an error', async () => {
    // Prepare
    const harness = createIngestHarness();
    harness.queue.failing = true;
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[503]);
    expect(harness.logger.linesAt('error')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ code: 'queue.unavailable', status: 503 }) })]);
  });

  test('a route with no signing secret configured is answered 500 and logged as an error', async () => {
    // Prepare
    const harness = createIngestHarness({ env: { STRIPE_WEBHOOK_SECRET: ACCOUNT_SECRET } });
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: CONNECT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/connect', body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[500]);
    expect(harness.queue.sent).toHaveLength(0);
    expect(harness.logger.linesAt('error')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ code: 'config.invalid' }) })]);
  });
});
