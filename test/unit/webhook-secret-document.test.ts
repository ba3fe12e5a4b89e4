import { parseWebhookSecretDocument, serializeWebhookSecretDocument } from '../../functions/adapters/webhook-secret-document';
import { ConfigurationError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';

const ACCOUNT = 'whsec_unit_doc_account_0123456789abcdef';
const CONNECT = 'whsec_unit_doc_connect_0123456789abcdef';
const parse = (text: string | undefined) => parseWebhookSecretDocument({ text, source: 'webhook secret arn:test' });

describe('webhook secret document: parsing', () => {
  test('reads both lists in their stored order', () => {
    // Prepare
    const text = JSON.stringify({ account: [ACCOUNT, `${ACCOUNT}_new`], connect: [CONNECT] });

    // Act
    const document = parse(text);

    // Assess
    expect(document).toEqual({ account: [ACCOUNT, `${ACCOUNT}_new`], connect: [CONNECT], extra: {} });
  });

  test.each([
    ['undefined', undefined],
    ['blank', '  '],
  ])('a %s value is the empty document', (_label, text) => {
    // Prepare
    const expected = { account: [], connect: [], extra: {} };

    // Act
    const document = parse(text);

    // Assess
    expect(document).toEqual(expected);
  });

  test('a missing list is empty', () => {
    // Prepare
    const text = JSON.stringify({ connect: [CONNECT] });

    // Act
    const document = parse(text);

    // Assess
    expect(document.account).toEqual([]);
  });

  test('keys other than the two lists are kept aside, and written back unchanged', () => {
    // Prepare
    const text = JSON.stringify({ account: [ACCOUNT], connect: [], note: 'rotated 2026-05' });

    // Act
    const written = serializeWebhookSecretDocument(parse(text));

    // Assess
    expect(JSON.parse(written)).toEqual({ note: 'rotated 2026-05', account: [ACCOUNT], connect: [] });
  });

  test.each([
    ['not JSON', `${ACCOUNT},${CONNECT}`, 'is not valid JSON'],
    ['a JSON list', JSON.stringify([ACCOUNT]), 'is not a JSON object'],
    ['JSON null', 'null', 'is not a JSON object'],
    ['a list given as a string', JSON.stringify({ account: ACCOUNT }), '"account" must be a list of whsec_ secrets'],
    ['an entry without the prefix', JSON.stringify({ connect: [CONNECT, 'sk_unit_doc_api_key'] }), '"connect" entry 2 is not a whsec_ secret'],
    ['an entry with whitespace', JSON.stringify({ account: [`${ACCOUNT} `] }), '"account" entry 1 is not a whsec_ secret'],
    ['an entry that is a number', JSON.stringify({ account: [42] }), '"account" entry 1 is not a whsec_ secret'],
  ])('%s is a ConfigurationError that names the source and the fault', (_label, text, fault) => {
    // Prepare
    const act = () => parse(text);

    // Act
    const error = captureError(act);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(`webhook secret arn:test: ${fault}`);
  });

  test.each([
    ['not JSON', `${ACCOUNT},`],
    ['a bad entry', JSON.stringify({ account: ['unit_doc_leak_value'] })],
  ])('the error for %s quotes no part of the value', (_label, text) => {
    // Prepare
    const act = () => parse(text);

    // Act
    const error = captureError(act) as Error;

    // Assess
    expect(error.message).not.toMatch(/unit_doc/);
  });
});
