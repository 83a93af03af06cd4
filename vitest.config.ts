import { defineConfig } from 'vitest/config';

// Test layout: unit tests sit next to their source as `*.test.ts`; end-to-end tests live in `tests/e2e`,
// performance suites in `tests/performance` (run in CI, they measure ratios, never absolute times).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'performance',
          include: ['tests/performance/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
