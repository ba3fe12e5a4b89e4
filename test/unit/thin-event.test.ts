import { InvalidEventError } from '../../functions/core/errors';
import { parseThinEvent } from '../../functions/core/thin-event';
import { captureError } from '../support/capture-error';
import { makeEventBody } from '../support/event-factory';
import { THIN_FIXTURE_ACCOUNT, THIN_FIXTURE_TYPES, loadThinNotification } from '../support/thin-fixtures';

const base = JSON.parse(loadThinNotification('v2.core.account[requirements].updated')) as Record<string, unknown>;
const variant = (change: Record<string, unknown>): string => JSON.stringify({ ...base, ...change });

describe('parseThinEvent', () => {
  test.each(THIN_FIXTURE_TYPES)('accepts the %s notification with its context as the account', (type) => {
    // Prepare
    const body = loadThinNotification(type);

    // Act
    const { envelope, notification } = parseThinEvent(body);

    // Assess
    expect(envelope).toEqual({ id: notification.id, type, created: Math.floor(Date.parse(notification.created) / 1000), livemode: false, apiVersion: null, account: THIN_FIXTURE_ACCOUNT });
    expect(notification.relatedObject?.url).toMatch(/^\/v2\/core\/accounts\/acct_1QxV2mT8sYn4KpLd/);
  });

  test('a platform notification (context null, no related object) has no account', () => {
    // Prepare
    const body = variant({ context: null, related_object: null });

    // Act
    const { envelope, notification } = parseThinEvent(body);

    // Assess
    expect(envelope).not.toHaveProperty('account');
    expect(notification.context).toBeNull();
    expect(notification.relatedObject).toBeNull();
  });

  test('a v1 snapshot event is refused with a reason naming the right route', () => {
    // Prepare
    const body = makeEventBody();

    // Act
    const error = captureError(() => parseThinEvent(body));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toBe('Invalid event: a v1 snapshot event was sent to the thin route; send it to the account or Connect route');
  });

  test.each([
    ['object', { object: 'v2.core.account' }, "`object` is not 'v2.core.event'"],
    ['id', { id: 'ev_1' }, '`id` is not an evt_ identifier'],
    ['type', { type: 'Bad Type' }, '`type` is missing or malformed'],
    ['created as epoch seconds', { created: 1787212803 }, '`created` is not an RFC 3339 time'],
    ['created not a date', { created: '2026-13-45T99:00:00Z' }, '`created` is not an RFC 3339 time'],
    ['livemode', { livemode: 'false' }, '`livemode` is not a boolean'],
    ['context', { context: 'cus_123' }, '`context` is not an acct_ identifier'],
    ['related_object without id', { related_object: { type: 'v2.core.account', url: '/v2/core/accounts/acct_1' } }, '`related_object` lacks its id or type'],
    ['related_object url off the API', { related_object: { id: 'acct_1', type: 'v2.core.account', url: 'https://evil.example/x' } }, '`related_object.url` is not a Stripe API path'],
    ['related_object url climbing', { related_object: { id: 'acct_1', type: 'v2.core.account', url: '/v2/../../etc' } }, '`related_object.url` is not a Stripe API path'],
  ])('refuses a bad %s', (_name, change, reason) => {
    // Prepare
    const body = variant(change);

    // Act
    const error = captureError(() => parseThinEvent(body));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toBe(`Invalid event: ${reason}`);
  });

  test('unknown keys and unknown types are accepted', () => {
    // Prepare
    const body = variant({ type: 'v2.money_management.new_thing.created', reason: { type: 'request' }, something_new: 1 });

    // Act
    const { envelope } = parseThinEvent(body);

    // Assess
    expect(envelope.type).toBe('v2.money_management.new_thing.created');
  });
});
