// The stress suites: slow tests with real runners installed from the registry, run by `npm run test:stress`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 900_000,
    maxWorkers: 2,
  },
});
