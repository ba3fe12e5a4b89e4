import { TRIGGER_CASES, buildEvent } from '../../cli/event-templates';
import type { TriggerCase } from '../../cli/event-templates';

const CASES = Object.keys(TRIGGER_CASES) as TriggerCase[];

describe('trigger event templates', () => {
  test('the deauthorization comes last, so trying the list in order on one account never ignores the rest', () => {
    // Prepare
    const order = CASES;

    // Act
    const last = order[order.length - 1];

    // Assess
    expect(last).toBe('account.application.deauthorized');
  });

  test.each(CASES)('%s builds an event of its type', (name) => {
    // Prepare
    const account = 'acct_1TemplateTest0001';

    // Act
    const event = buildEvent({ name, account, nowMs: Date.UTC(2026, 11, 3) });

    // Assess
    expect(name.startsWith(event.type)).toBe(true);
    expect(event.payload).not.toContain('acct_1PgafTB7WZ01zgkW');
  });

  test('payout.paid is a paid payout of the account, on the Connect route', () => {
    // Prepare
    const name = 'payout.paid';

    // Act
    const event = buildEvent({ name, account: 'acct_1TemplateTest0001' });

    // Assess
    expect(event).toMatchObject({ type: 'payout.paid', route: 'connect', account: 'acct_1TemplateTest0001' });
    expect(JSON.parse(event.payload).data.object).toMatchObject({ status: 'paid', failure_code: null });
  });
});
