import { addSecrets, describeLists, maskSecret, pruneSecrets } from '../../cli/secret-lists';
import { EMPTY_WEBHOOK_SECRET_DOCUMENT } from '../../functions/adapters/webhook-secret-document';
import type { WebhookSecretDocument } from '../../functions/adapters/webhook-secret-document';

const secret = (name: string): string => `whsec_unit_lists_0123456789_${name}`;
const documentOf = (account: readonly string[], connect: readonly string[] = []): WebhookSecretDocument => ({ account, connect, extra: {} });

describe('secret lists: secrets set', () => {
  test('adds each secret to the end of its own list', () => {
    // Prepare
    const current = documentOf([secret('a1')], [secret('c1')]);

    // Act
    const { document } = addSecrets(current, { account: [secret('a2')], connect: [secret('c2')] });

    // Assess
    expect(document).toEqual(documentOf([secret('a1'), secret('a2')], [secret('c1'), secret('c2')]));
  });

  test('a secret already newest is reported as such and the list is unchanged', () => {
    // Prepare
    const current = documentOf([secret('a1'), secret('a2')]);

    // Act
    const result = addSecrets(current, { account: [secret('a2')], connect: [] });

    // Assess
    expect(result.document.account).toEqual([secret('a1'), secret('a2')]);
    expect(result.outcomes.map(({ outcome }) => outcome)).toEqual(['already newest']);
  });

  test('a secret listed earlier moves to the end, so prune keeps the one just set', () => {
    // Prepare
    const current = documentOf([secret('a1'), secret('a2')]);

    // Act
    const result = addSecrets(current, { account: [secret('a1')], connect: [] });

    // Assess
    expect(result.document.account).toEqual([secret('a2'), secret('a1')]);
    expect(result.outcomes.map(({ outcome }) => outcome)).toEqual(['moved to newest']);
  });

  test('the same secret given twice in one call is listed once', () => {
    // Prepare
    const current = EMPTY_WEBHOOK_SECRET_DOCUMENT;

    // Act
    const { document } = addSecrets(current, { account: [], connect: [secret('c1'), secret('c1')] });

    // Assess
    expect(document.connect).toEqual([secret('c1')]);
  });
});

describe('secret lists: secrets prune', () => {
  test('keeps the newest N of each list and counts what it dropped', () => {
    // Prepare
    const current = documentOf([secret('a1'), secret('a2'), secret('a3')], [secret('c1')]);

    // Act
    const result = pruneSecrets(current, 2);

    // Assess
    expect(result.document).toEqual(documentOf([secret('a2'), secret('a3')], [secret('c1')]));
    expect(result.removed).toEqual({ account: 1, connect: 0 });
  });
});

describe('secret lists: masking', () => {
  test('shows the prefix and the last four characters of a real-length secret', () => {
    // Prepare
    const value = 'whsec_K8zQ2mV7pL4xR9tB1nW6yC3dF5gH0jAs';

    // Act
    const masked = maskSecret(value);

    // Assess
    expect(masked).toBe('whsec_…0jAs');
  });

  test('shows no characters of a short value', () => {
    // Prepare
    const value = 'whsec_short123';

    // Act
    const masked = maskSecret(value);

    // Assess
    expect(masked).toBe('whsec_…');
  });

  test('describes each list with its count, masked, oldest first', () => {
    // Prepare
    const document = documentOf([secret('a1'), secret('a2')]);

    // Act
    const text = describeLists(document);

    // Assess
    expect(text).toBe('  account  2 secrets  whsec_…9_a1, whsec_…9_a2\n  connect  0 secrets  (none)');
  });
});
