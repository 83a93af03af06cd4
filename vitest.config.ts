import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Test layout: unit tests sit next to their source as `*.test.ts`; end-to-end tests live in `tests/e2e`,
// performance suites in `tests/performance` (run in CI, they measure ratios, never absolute times).
// Inside the repository the packages resolve to their TypeScript sources (the `@ucop/source` condition of
// their exports), so tests need no build; the end-to-end tests spawn the built binary, which `npm test`
// builds first (and the global setup rebuilds when a source changed).
const conditions = ['@ucop/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup: ['tests/build-once.ts'],
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
