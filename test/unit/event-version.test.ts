import * as fc from 'fast-check';
import { eventVersion, versionCreated } from '../../functions/core/state/state-write';
import { compareStrings } from '../support/in-memory-state-store';

/** 200 keeps the suite fast; set PROPERTY_RUNS for a deeper search. */
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

const sign = (value: number): number => Math.sign(value);
/** JavaScript's string order, which `process-event` uses to compare versions. */
const compareJs = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Stripe-shaped event ids: `evt_` then letters, digits and underscores, of varying length. */
const idArb = fc
  .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'), { minLength: 1, maxLength: 30 })
  .map((chars) => `evt_${chars.join('')}`);
/** Any `created` below 10^12, the range the 12-digit padding covers. */
const createdArb = fc.oneof(fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 1_700_000_000, max: 1_700_000_005 }));
const eventArb = fc.record({ created: createdArb, id: idArb });

describe('eventVersion: order', () => {
  test('a later event sorts after an earlier one whatever their ids', () => {
    // Prepare
    const earlier = { created: 1787238727, id: 'evt_zzzzzzzzzzzzzzzzzzzzzzzz' };
    const later = { created: 1787238728, id: 'evt_0000000000000000000000AA' };

    // Act
    const [a, b] = [eventVersion(earlier), eventVersion(later)];

    // Assess
    expect(a < b).toBe(true);
  });

  test('padding keeps the order across a change in the number of digits', () => {
    // Prepare
    const earlier = { created: 999_999_999, id: 'evt_B' };
    const later = { created: 1_000_000_000, id: 'evt_A' };

    // Act
    const [a, b] = [eventVersion(earlier), eventVersion(later)];

    // Assess
    expect(a < b).toBe(true);
  });

  test('events of the same second are ordered by id', () => {
    // Prepare
    const first = { created: 1787238727, id: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD' };
    const second = { created: 1787238727, id: 'evt_1S3kQ8B7WZ01zgkWc2Lx9PaD' };

    // Act
    const [a, b] = [eventVersion(first), eventVersion(second)];

    // Assess
    expect(a < b).toBe(true);
  });

  test('the same event always has the same version', () => {
    // Prepare
    const event = { created: 1787238727, id: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD' };

    // Act
    const versions = [eventVersion(event), eventVersion({ ...event })];

    // Assess
    expect(versions[0]).toBe(versions[1]);
  });

  test('a version is the 12-digit created, a #, then the id, and gives its created back', () => {
    // Prepare
    const event = { created: 1787238727, id: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD' };

    // Act
    const version = eventVersion(event);

    // Assess
    expect(version).toBe('001787238727#evt_1S3kQ7B7WZ01zgkWc2Lx9PaD');
    expect(versionCreated(version)).toBe(1787238727);
  });
});

describe('eventVersion: property', () => {
  test('comparing versions as strings equals comparing (created, id) tuples, for created in [0, 10^12)', () => {
    // Prepare
    const tupleOrder = (a: { created: number; id: string }, b: { created: number; id: string }): number =>
      a.created !== b.created ? sign(a.created - b.created) : compareJs(a.id, b.id);

    // Act
    const property = fc.property(eventArb, eventArb, (a, b) => {
      const expected = tupleOrder(a, b);
      return sign(compareJs(eventVersion(a), eventVersion(b))) === expected && sign(compareStrings(eventVersion(a), eventVersion(b))) === expected;
    });

    // Assess
    fc.assert(property, { numRuns: NUM_RUNS });
  });
});
