import { apiGatewayEvent, FIXTURE_NAMES, FIXTURE_SECRET, loadFixtureEvent, loadFixtureSignature, makeEventBody, signPayload, signatureOf } from '../support/event-factory';
import { ACCOUNT_SECRET, createIngestHarness } from '../support/ingest-harness';

const OLD_SECRET = 'whsec_unit_rotation_old_0000';
const NEW_SECRET = 'whsec_unit_rotation_new_1111';
const ROTATION_ENV = { STRIPE_WEBHOOK_SECRET: `${OLD_SECRET},${NEW_SECRET}` };

describe('ingest handler: secret rotation', () => {
  test.each([
    ['the old secret', OLD_SECRET],
    ['the new secret', NEW_SECRET],
  ])('with two secrets configured, an event signed with %s is accepted', async (_label, secret) => {
    // Prepare
    const harness = createIngestHarness({ env: ROTATION_ENV });
    const payload = makeEventBody();
    const header = signPayload({ payload, secret });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });

  test('a header with several v1 signatures passes when one of them matches', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const good = signPayload({ payload, secret: ACCOUNT_SECRET });
    const other = signatureOf(signPayload({ payload, secret: 'whsec_unit_not_configured' }));
    const header = `${good.split(',')[0]},v1=${other},v1=${signatureOf(good)},v0=potato`;

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });

  test('a header whose v1 signatures were all made with unconfigured secrets is refused', async () => {
    // Prepare
    const harness = createIngestHarness({ env: ROTATION_ENV });
    const payload = makeEventBody();
    const first = signPayload({ payload, secret: 'whsec_unit_retired_a' });
    const header = `${first},v1=${signatureOf(signPayload({ payload, secret: 'whsec_unit_retired_b' }))}`;

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.queue.sent).toHaveLength(0);
  });
});

describe('ingest handler: body encoding and header names', () => {
  test('the same payload delivered base64-encoded is verified on its decoded bytes and enqueued unchanged', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody({ description: 'Café Zürich — 😀' });
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });
    const body = Buffer.from(payload, 'utf8').toString('base64');

    // Act
    const response = await harness.handle(apiGatewayEvent({ body, isBase64Encoded: true, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent[0]?.body).toBe(payload);
  });

  test('a base64 body whose decoded bytes differ from the signed payload is refused', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });
    const reformatted = JSON.stringify(JSON.parse(payload));
    const body = Buffer.from(reformatted, 'utf8').toString('base64');

    // Act
    const response = await harness.handle(apiGatewayEvent({ body, isBase64Encoded: true, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.queue.sent).toHaveLength(0);
    expect(harness.logger.linesAt('warn')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ code: 'signature.no_matching_signature' }) })]);
  });

  test('the log reports the bytes received: UTF-8 bytes of a text body, not its UTF-16 length', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody({ description: 'Café Zürich — 😀' });
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(Buffer.byteLength(payload)).not.toBe(payload.length);
    expect(harness.logger.linesAt('info')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ bodyBytes: Buffer.byteLength(payload) }) })]);
  });

  test('a base64 body that is not UTF-8 is refused, and logged with the bytes received', async () => {
    // Prepare
    const harness = createIngestHarness();
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x80, 0x7d]);
    const header = signPayload({ payload: bytes.toString('utf8'), secret: ACCOUNT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: bytes.toString('base64'), isBase64Encoded: true, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.logger.linesAt('warn')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ bodyBytes: 5, code: 'event.invalid' }) })]);
  });

  test('a base64 body delivered as if it were plain text is refused', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });
    const body = Buffer.from(payload, 'utf8').toString('base64');

    // Act
    const response = await harness.handle(apiGatewayEvent({ body, isBase64Encoded: false, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.queue.sent).toHaveLength(0);
  });

  test.each(['Stripe-Signature', 'STRIPE-SIGNATURE', 'stripe-signature'])('the header named %s is found', async (name) => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { [name]: header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });
});

describe('ingest handler: the shared signed fixtures', () => {
  test.each(FIXTURE_NAMES)('%s verifies with the fixture secret when received 5 s after signing', async (name) => {
    // Prepare
    const payload = loadFixtureEvent(name);
    const { header, timestamp } = loadFixtureSignature(name);
    const harness = createIngestHarness({
      env: { STRIPE_WEBHOOK_SECRET: FIXTURE_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: FIXTURE_SECRET },
      nowMs: (timestamp + 5) * 1000,
    });
    const path = (JSON.parse(payload) as { account?: string }).account === undefined ? '/webhooks/account' : '/webhooks/connect';

    // Act
    const response = await harness.handle(apiGatewayEvent({ path, body: payload, headers: { 'Stripe-Signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
    expect(harness.queue.sent[0]?.body).toBe(payload);
  });

  test('a fixture received a day after its signature was made is refused as stale', async () => {
    // Prepare
    const payload = loadFixtureEvent('account.updated');
    const { header, timestamp } = loadFixtureSignature('account.updated');
    const harness = createIngestHarness({ env: { STRIPE_CONNECT_WEBHOOK_SECRET: FIXTURE_SECRET }, nowMs: (timestamp + 86_400) * 1000 });

    // Act
    const response = await harness.handle(apiGatewayEvent({ path: '/webhooks/connect', body: payload, headers: { 'Stripe-Signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.logger.linesAt('warn')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ code: 'signature.timestamp_outside_tolerance' }) })]);
  });
});
