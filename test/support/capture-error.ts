/** Runs `act` and returns what it threw (or the rejection of its promise); undefined when it did not throw. */
export function captureError(act: () => unknown): unknown;
export function captureError(act: () => Promise<unknown>): Promise<unknown>;
export function captureError(act: () => unknown): unknown {
  try {
    const result = act();
    if (result instanceof Promise) return result.then(() => undefined, (error: unknown) => error);
    return undefined;
  } catch (error) {
    return error;
  }
}
