// One fake model server per test, closed after it: `const start = fakeServerPerTest()` at file level,
// then `const server = await start({ script })` inside a test.
import { afterEach } from 'vitest';
import { type FakeModelServer, type FakeServerOptions, startFakeModelServer } from '../fake-server/index.js';

export function fakeServerPerTest(): (options?: FakeServerOptions) => Promise<FakeModelServer> {
  let current: FakeModelServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => {
    await current?.close();
    current = await startFakeModelServer(options);
    return current;
  };
}
