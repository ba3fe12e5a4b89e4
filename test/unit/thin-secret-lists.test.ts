import { addSecrets, describeLists, pruneSecrets } from '../../cli/secret-lists';
import { createEnvWebhookSecrets } from '../../functions/adapters/env-webhook-secrets';
import { parseWebhookSecretDocument, serializeWebhookSecretDocument } from '../../functions/adapters/webhook-secret-document';
import { ConfigurationError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';

const THIN = 'whsec_unit_thin_doc_0123456789abcdef';
const parse = (text: string) => parseWebhookSecretDocument({ text, source: 'webhook secret arn:test' });

describe('the thin route in the secret document and the CLI lists', () => {
  test('the document reads and writes the thin list beside the other two', () => {
    // Prepare
    const text = JSON.stringify({ account: [], connect: [], thin: [THIN, `${THIN}_new`] });

    // Act
    const document = parse(text);

    // Assess
    expect(document.thin).toEqual([THIN, `${THIN}_new`]);
    expect(JSON.parse(serializeWebhookSecretDocument(document))).toEqual({ account: [], connect: [], thin: [THIN, `${THIN}_new`] });
  });

  test('a thin entry that is not a whsec_ secret is refused without repeating it', () => {
    // Prepare
    const text = JSON.stringify({ thin: ['sk_live_oops'] });

    // Act
    const error = captureError(() => parse(text));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('"thin" entry 1 is not a whsec_ secret');
    expect((error as Error).message).not.toContain('sk_live_oops');
  });

  test('secrets set --thin adds to a document that had no thin list yet; prune keeps the newest', () => {
    // Prepare
    const current = parse(JSON.stringify({ account: ['whsec_a1'], connect: ['whsec_c1'] }));

    // Act
    const added = addSecrets(addSecrets(current, { thin: [THIN] }).document, { thin: [`${THIN}_new`] });
    const pruned = pruneSecrets(added.document, 1);

    // Assess
    expect(added.document).toEqual({ account: ['whsec_a1'], connect: ['whsec_c1'], thin: [THIN, `${THIN}_new`], extra: {} });
    expect(pruned.document.thin).toEqual([`${THIN}_new`]);
    expect(pruned.removed).toEqual({ account: 0, connect: 0, thin: 1 });
    expect(describeLists(pruned.document)).toContain('thin     1 secret ');
  });

  test('STRIPE_THIN_WEBHOOK_SECRET is a comma-separated list of its own', async () => {
    // Prepare
    const secrets = createEnvWebhookSecrets({ STRIPE_WEBHOOK_SECRET: 'whsec_a', STRIPE_THIN_WEBHOOK_SECRET: ` ${THIN}, ${THIN}_new ` });

    // Act
    const [thin, account] = await Promise.all([secrets.secretsFor('thin'), secrets.secretsFor('account')]);

    // Assess
    expect(thin).toEqual([THIN, `${THIN}_new`]);
    expect(account).toEqual(['whsec_a']);
  });
});
