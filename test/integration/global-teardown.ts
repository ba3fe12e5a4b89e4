/** Stops the emulators started by the global setup. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.integrationEmulators ?? []).map((emulator) => emulator.stop()));
}
