import { isFromFront } from '../../functions/core/origin-check';
import { handler } from '../../functions/origin-authorizer/handler';

describe('origin check of the webhook front', () => {
  test('the token the front adds passes', () => {
    // Prepare
    const token = 'a'.repeat(48);

    // Act
    const passed = isFromFront({ header: token, token });

    // Assess
    expect(passed).toBe(true);
  });

  test.each([
    ['a different token', 'b'.repeat(48)],
    ['a prefix of the token', 'a'.repeat(47)],
    ['an empty header', ''],
    ['no header', undefined],
  ])('%s is refused', (_name, header) => {
    // Prepare
    const token = 'a'.repeat(48);

    // Act
    const passed = isFromFront({ header, token });

    // Assess
    expect(passed).toBe(false);
  });

  test('with no token configured, nothing passes', () => {
    // Prepare
    const options = { header: '', token: '' };

    // Act
    const passed = isFromFront(options);

    // Assess
    expect(passed).toBe(false);
  });

  test('the authorizer answers a simple response, refusing a request that bypassed the front', async () => {
    // Prepare
    const event = { headers: { 'x-origin-verify': 'forged' } };

    // Act
    const response = await handler(event);

    // Assess
    expect(response).toEqual({ isAuthorized: false });
  });
});
