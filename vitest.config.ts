import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Slow suites run with `npm run test:stress` (vitest.stress.config.ts).
    exclude: ['test/stress/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end suites spawn real CLIs and processes; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
