// The fauxqs SQS emulator, listening on 127.0.0.1 only. Its own CLI (`fauxqs`, `startFauxqs`) listens on every
// interface; `buildApp` is the same server without the listen, so this script listens on loopback itself.
// Settings as for the CLI: FAUXQS_PORT, FAUXQS_HOST (the host in queue URLs), FAUXQS_DEFAULT_REGION.
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false, host: process.env.FAUXQS_HOST, defaultRegion: process.env.FAUXQS_DEFAULT_REGION });
await app.listen({ port: Number(process.env.FAUXQS_PORT ?? 4566), host: '127.0.0.1' });
const stop = () => void app.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// EXIT_WITH_STDIN=1: exit when standard input closes, i.e. when the process that started this one is gone.
if (process.env.EXIT_WITH_STDIN === '1') {
  process.stdin.once('end', stop);
  process.stdin.once('error', stop);
  process.stdin.resume();
}
