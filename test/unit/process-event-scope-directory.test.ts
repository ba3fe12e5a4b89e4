import { LedgerError } from '../../functions/core/errors';
import { AcceptedModes } from '../../functions/core/livemode-policy';
import { createEventProcessor } from '../../functions/core/process-event';
import type { ScopeDirectory } from '../../functions/core/reconcile';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent } from '../support/projection-input';
import { createWorkerHarness, incomingRecord } from '../support/worker-harness';

type Noted = Parameters<ScopeDirectory['noteActive']>[0];

/** A worker whose directory records what it is told, or fails. */
const workerWithDirectory = (options: { readonly failing?: boolean; readonly acceptedModes?: AcceptedModes } = {}) => {
  const harness = createWorkerHarness({ custom: {}, ...(options.acceptedModes === undefined ? {} : { acceptedModes: options.acceptedModes }) });
  const noted: Noted[] = [];
  const scopes = {
    noteActive: async (input: Noted) => {
      if (options.failing === true) throw new LedgerError({ detail: 'scope directory note: unreachable' });
      noted.push(input);
    },
  };
  const process = createEventProcessor({ ...harness.deps, scopes });
  const deliver = (event: Record<string, unknown>) => process(incomingRecord(JSON.stringify(event, null, 2)));
  return { harness, noted, deliver };
};

describe("event processor: the reconciler's account directory", () => {
  test('an event of a connected account notes the account and its mode', async () => {
    // Prepare
    const { noted, deliver } = workerWithDirectory();

    // Act
    await deliver(fixtureEvent('account.updated'));

    // Assess
    expect(noted).toEqual([expect.objectContaining({ account: FIXTURE_ACCOUNT, livemode: false })]);
  });

  test('an event type without a handler still notes its account', async () => {
    // Prepare
    const { noted, deliver } = workerWithDirectory();
    const event = fixtureEvent('account.updated', (json) => {
      json.type = 'charge.succeeded';
    });

    // Act
    await deliver(event);

    // Assess
    expect(noted.map((entry) => entry.account)).toEqual([FIXTURE_ACCOUNT]);
  });

  test('a platform event (no account) and an event of a refused mode note nothing', async () => {
    // Prepare
    const { noted, deliver } = workerWithDirectory({ acceptedModes: AcceptedModes.live });

    // Act
    await deliver(fixtureEvent('payment_intent.succeeded.destination', (json) => {
      json.livemode = true;
    }));
    await deliver(fixtureEvent('account.updated'));

    // Assess
    expect(noted).toEqual([]);
  });

  test('an unreachable directory fails the record before any ledger write, so the queue retries it', async () => {
    // Prepare
    const { harness, deliver } = workerWithDirectory({ failing: true });
    const event = fixtureEvent('account.updated');

    // Act
    const outcome = deliver(event);

    // Assess
    await expect(outcome).rejects.toThrow('scope directory note: unreachable');
    expect(harness.ledger.raw(String(event.id))).toBeUndefined();
  });
});
