// The slow suites (`npm run test:stress`): packaging, real runners from the registry, heavy races.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    maxWorkers: 1,
  },
});
