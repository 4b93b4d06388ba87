// The bounded stress suites (`npm run test:stress`): too slow for every `npm test`, run by CI apart.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 30_000,
    maxWorkers: 1,
  },
});
