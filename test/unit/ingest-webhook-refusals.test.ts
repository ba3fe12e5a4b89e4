import { apiGatewayEvent, makeEvent, makeEventBody, nowSeconds, signPayload, signatureOf } from '../support/event-factory';
import { ACCOUNT_SECRET, bodyOf, CONNECT_SECRET, createIngestHarness, GENERIC_BODIES } from '../support/ingest-harness';

/** Text placed in every refused body: it must never show up in a log line. */
const MARKER = 'payload-marker-7c1e0b9a';

/** A realistic event body carrying the marker, with top-level overrides. */
const markedEventBody = (overrides: Readonly<Record<string, unknown>> = {}): string =>
  JSON.stringify(makeEvent({ metadata_marker: MARKER, ...overrides }), null, 2);

interface RefusalCase {
  readonly name: string;
  /** Builds the body and the header from the current time in seconds. */
  readonly build: (now: number) => { readonly body: string; readonly header?: string };
  readonly status: 400 | 413;
  readonly code: string;
}

const signed = (body: string, now: number, secret = ACCOUNT_SECRET) => ({ body, header: signPayload({ payload: body, secret, timestamp: now }) });

const REFUSALS: readonly RefusalCase[] = [
  { name: 'missing Stripe-Signature header', build: () => ({ body: markedEventBody() }), status: 400, code: 'signature.missing_header' },
  { name: "garbled header 'garbage'", build: () => ({ body: markedEventBody(), header: 'garbage' }), status: 400, code: 'signature.malformed_header' },
  {
    name: 'header with only a v0 signature',
    build: (now) => {
      const body = markedEventBody();
      return { body, header: `t=${now},v0=${signatureOf(signPayload({ payload: body, secret: ACCOUNT_SECRET, timestamp: now }))}` };
    },
    status: 400,
    code: 'signature.malformed_header',
  },
  { name: 'signed with a wrong secret', build: (now) => signed(markedEventBody(), now, 'whsec_someone_else_entirely'), status: 400, code: 'signature.no_matching_signature' },
  { name: 'signed with the other endpoint’s secret', build: (now) => signed(markedEventBody(), now, CONNECT_SECRET), status: 400, code: 'signature.no_matching_signature' },
  { name: 'timestamp 301 s old (tolerance is 300 s)', build: (now) => signed(markedEventBody(), now - 301), status: 400, code: 'signature.timestamp_outside_tolerance' },
  { name: 'signed body that is not JSON', build: (now) => signed(`not json ${MARKER}`, now), status: 400, code: 'event.invalid' },
  { name: 'signed JSON that is not an event ({"hello":…})', build: (now) => signed(JSON.stringify({ hello: MARKER }), now), status: 400, code: 'event.invalid' },
  { name: 'signed JSON array', build: (now) => signed(JSON.stringify([MARKER]), now), status: 400, code: 'event.invalid' },
  { name: "signed event whose object is not 'event'", build: (now) => signed(markedEventBody({ object: 'charge' }), now), status: 400, code: 'event.invalid' },
  { name: 'signed event without an id', build: (now) => signed(markedEventBody({ id: undefined }), now), status: 400, code: 'event.invalid' },
  { name: 'signed event with an id that is not evt_', build: (now) => signed(markedEventBody({ id: 'ch_3S3kS1B7WZ01zgkW' }), now), status: 400, code: 'event.invalid' },
  { name: 'signed event without a type', build: (now) => signed(markedEventBody({ type: undefined }), now), status: 400, code: 'event.invalid' },
  { name: 'signed event without created', build: (now) => signed(markedEventBody({ created: undefined }), now), status: 400, code: 'event.invalid' },
  {
    name: "signed thin event (object 'v2.core.event')",
    build: (now) =>
      signed(
        JSON.stringify({ id: 'evt_test_65R9Ijk8rbhpHqKe', object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found', created: new Date(now * 1000).toISOString(), livemode: false, reason: MARKER }),
        now,
      ),
    status: 400,
    code: 'event.invalid',
  },
  { name: 'empty body with a header', build: (now) => ({ body: '', header: `t=${now},v1=${'0'.repeat(64)}` }), status: 400, code: 'signature.empty_payload' },
  { name: 'body larger than the queue accepts', build: (now) => signed(markedEventBody({ padding: 'x'.repeat(5_000) }), now), status: 413, code: 'request.too_large' },
  { name: 'unsigned body larger than the queue accepts (size is checked first)', build: () => ({ body: markedEventBody({ padding: 'x'.repeat(5_000) }) }), status: 413, code: 'request.too_large' },
];

describe('ingest handler: refused requests', () => {
  test.each(REFUSALS)('$name → $status with the generic body, nothing enqueued, one warn line with $code', async ({ build, status, code }) => {
    // Prepare
    const harness = createIngestHarness({ maxMessageBytes: 4_096 });
    const { body, header } = build(nowSeconds(harness.clock.now()));
    const headers: Record<string, string> = header === undefined ? {} : { 'Stripe-Signature': header };

    // Act
    const response = await harness.handle(apiGatewayEvent({ body, headers }));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[status]);
    expect(harness.queue.sent).toHaveLength(0);
    expect(harness.logger.lines).toHaveLength(1);
    expect(harness.logger.linesAt('warn')).toEqual([expect.objectContaining({ message: 'webhook refused', attributes: expect.objectContaining({ code, status }) })]);
  });

  test.each(REFUSALS)('$name → no secret and no payload in any log line', async ({ build }) => {
    // Prepare
    const harness = createIngestHarness({ maxMessageBytes: 4_096 });
    const { body, header } = build(nowSeconds(harness.clock.now()));
    const headers: Record<string, string> = header === undefined ? {} : { 'stripe-signature': header };

    // Act
    await harness.handle(apiGatewayEvent({ body, headers }));

    // Assess
    const logged = harness.logger.text();
    expect(logged).not.toContain(ACCOUNT_SECRET);
    expect(logged).not.toContain(CONNECT_SECRET);
    expect(logged).not.toContain(MARKER);
  });

  test('a timestamp exactly 300 s old is still accepted (the tolerance is inclusive)', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET, timestamp: nowSeconds(harness.clock.now()) - 300 });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });

  test('a timestamp in the future is accepted: stripe-node only rejects old timestamps', async () => {
    // Prepare
    const harness = createIngestHarness();
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: ACCOUNT_SECRET, timestamp: nowSeconds(harness.clock.now()) + 3_600 });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });

  test.each([
    ['first', 0],
    ['second', 1],
  ])('a stale signature made with the %s of two configured secrets is reported as stale, not as a mismatch', async (_label, index) => {
    // Prepare
    const secrets = ['whsec_unit_rotation_first', 'whsec_unit_rotation_second'];
    const harness = createIngestHarness({ env: { STRIPE_WEBHOOK_SECRET: secrets.join(',') } });
    const payload = makeEventBody();
    const header = signPayload({ payload, secret: secrets[index] ?? '', timestamp: nowSeconds(harness.clock.now()) - 600 });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(harness.logger.linesAt('warn')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ code: 'signature.timestamp_outside_tolerance' }) })]);
  });

  test('a body that fits the queue alone but not with its message attributes is refused 413', async () => {
    // Prepare
    const payload = makeEventBody();
    const harness = createIngestHarness({ maxMessageBytes: Buffer.byteLength(payload) + 10 });
    const header = signPayload({ payload, secret: ACCOUNT_SECRET, timestamp: nowSeconds(harness.clock.now()) });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(413);
    expect(harness.queue.sent).toHaveLength(0);
  });

  test('a message exactly as large as the queue accepts, attributes included, is enqueued', async () => {
    // Prepare
    const payload = makeEventBody();
    const event = JSON.parse(payload) as { id: string; type: string; account: string };
    const attributes = { eventId: event.id, eventType: event.type, livemode: 'false', route: 'account', account: event.account };
    const attributeBytes = Object.entries(attributes).reduce((sum, [name, value]) => sum + name.length + 'String'.length + value.length, 0);
    const harness = createIngestHarness({ maxMessageBytes: Buffer.byteLength(payload) + attributeBytes });
    const header = signPayload({ payload, secret: ACCOUNT_SECRET, timestamp: nowSeconds(harness.clock.now()) });

    // Act
    const response = await harness.handle(apiGatewayEvent({ body: payload, headers: { 'stripe-signature': header } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(1);
  });
});
