import { recordPartitionOf } from '../../functions/core/state/account-keys';
import { projectPayoutFailed } from '../../functions/core/handlers/payout-failed';
import { projectPayoutPaid } from '../../functions/core/handlers/payout-paid';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, payoutPaidEvent, project, writeTo, writesOf } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';

const BANK_ACCOUNT = 'ba_1PgagAB7WZ01zgkWr3DySp2Q';
const PAYOUT = 'po_1Pgc79B7WZ01zgkWu1KToYf4';
const PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;

/** The payout.failed projection of the fixture after `edit`. */
const projectFailed = (edit?: (event: EditableEvent, payout: Record<string, unknown>) => void) =>
  project('payout.failed', projectPayoutFailed, fixtureEvent('payout.failed', (event) => edit?.(event, event.data.object)));

describe('payout.failed projection: variations', () => {
  test('an expanded destination is recorded by id, with none of its bank details', async () => {
    // Prepare
    const edit = (_: EditableEvent, payout: Record<string, unknown>) => {
      payout.destination = { id: BANK_ACCOUNT, object: 'bank_account', routing_number: '110000000', fingerprint: 'AuoSJ18zsVWV9SPc', last4: '6789' };
    };

    // Act
    const result = await projectFailed(edit);

    // Assess
    expect(writesOf(result).map((write) => write.item)).toEqual([`PAYOUT#${PAYOUT}`, `PAYOUT_ATTENTION#${BANK_ACCOUNT}`]);
    expect(writeTo(result, `PAYOUT#${PAYOUT}`).set.destination).toBe(BANK_ACCOUNT);
    expect(JSON.stringify(result)).not.toMatch(/110000000|AuoSJ18zsVWV9SPc/);
  });

  test('a payout without a destination writes only the PAYOUT record', async () => {
    // Prepare
    const edit = (_: EditableEvent, payout: Record<string, unknown>) => {
      payout.destination = null;
    };

    // Act
    const result = await projectFailed(edit);

    // Assess
    expect(writesOf(result).map((write) => write.item)).toEqual([`PAYOUT#${PAYOUT}`]);
    expect(result.outcome).toEqual({ payout: PAYOUT, failureCode: 'account_closed', destination: null });
  });

  test("a platform payout (no top-level account) is recorded in the platform's partition", async () => {
    // Prepare
    const edit = (event: EditableEvent) => {
      delete event.account;
    };

    // Act
    const result = await projectFailed(edit);

    // Assess
    expect(writesOf(result).map((write) => write.partition)).toEqual([recordPartitionOf({ account: undefined, livemode: false, item: `PAYOUT#${PAYOUT}` }), 'PLATFORM#test']);
    expect(writesOf(result)[0]?.partition).toMatch(/^PLATFORM#test#S[0-3]$/);
  });

  test('an older API version without method, failure message or arrival date records them as null', async () => {
    // Prepare
    const edit = (event: EditableEvent, payout: Record<string, unknown>) => {
      event.api_version = '2015-10-16';
      for (const key of ['method', 'failure_message', 'arrival_date', 'trace_id', 'payout_method', 'reconciliation_status']) delete payout[key];
    };

    // Act
    const result = await projectFailed(edit);

    // Assess
    expect(writeTo(result, `PAYOUT#${PAYOUT}`).set).toMatchObject({ method: null, failureMessage: null, arrivalDate: null, failureCode: 'account_closed' });
    expect(writeTo(result, `PAYOUT_ATTENTION#${BANK_ACCOUNT}`).set).toMatchObject({ needsAttention: true, failureMessage: null });
  });

  test('unknown extra keys and request: null project the same writes', async () => {
    // Prepare
    const baseline = await projectFailed();
    const edit = (event: EditableEvent, payout: Record<string, unknown>) => {
      event.request = null;
      event.context = 'unknown-envelope-key';
      payout.future_field = 'unknown-object-key';
    };

    // Act
    const result = await projectFailed(edit);

    // Assess
    expect(result).toEqual(baseline);
  });
});

describe('payout.paid projection', () => {
  test('writes the PAYOUT record as paid and clears the PAYOUT_ATTENTION flag of its destination', async () => {
    // Prepare
    const event = payoutPaidEvent();
    const version = '001787670847#evt_1S4B7pB7WZ01zgkWp2Qa9ZcL';
    const source = { sourceEventId: 'evt_1S4B7pB7WZ01zgkWp2Qa9ZcL', sourceEventCreated: 1787670847 };

    // Act
    const result = await project('payout.paid', projectPayoutPaid, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item: `PAYOUT#${PAYOUT}` }),
          item: `PAYOUT#${PAYOUT}`,
          facet: 'state',
          version,
          set: {
            payoutId: PAYOUT,
            status: 'paid',
            amount: 1100,
            currency: 'usd',
            destination: BANK_ACCOUNT,
            arrivalDate: '2026-08-22T00:00:00.000Z',
            createdAt: '2026-08-21T15:12:07.000Z',
            failureCode: null,
            failureMessage: null,
            method: 'standard',
            ...source,
          },
        },
        {
          partition: PARTITION,
          item: `PAYOUT_ATTENTION#${BANK_ACCOUNT}`,
          facet: 'state',
          version,
          set: { destination: BANK_ACCOUNT, needsAttention: false, payoutId: PAYOUT, failureCode: null, failureMessage: null, failedAt: null, clearedBy: 'payout_paid', ...source },
        },
      ],
      outcome: { payout: PAYOUT, status: 'paid' },
    });
  });

  test('a paid payout without a destination writes only the PAYOUT record', async () => {
    // Prepare
    const event = payoutPaidEvent();
    event.data.object.destination = null;

    // Act
    const result = await project('payout.paid', projectPayoutPaid, event);

    // Assess
    expect(writesOf(result).map((write) => write.item)).toEqual([`PAYOUT#${PAYOUT}`]);
  });

  test('a paid payout to an expanded card destination clears the flag of that card', async () => {
    // Prepare
    const event = payoutPaidEvent();
    event.data.object.destination = { id: 'card_1Pgb2XB7WZ01zgkW9rT4yUiO', object: 'card', fingerprint: 'Xt5EWLLDS7FJjR1c' };

    // Act
    const result = await project('payout.paid', projectPayoutPaid, event);

    // Assess
    expect(writeTo(result, 'PAYOUT_ATTENTION#card_1Pgb2XB7WZ01zgkW9rT4yUiO').set).toMatchObject({ destination: 'card_1Pgb2XB7WZ01zgkW9rT4yUiO', needsAttention: false });
    expect(JSON.stringify(result)).not.toContain('Xt5EWLLDS7FJjR1c');
  });
});
