import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/e2e/support/build-web.ts'],
    // Generous: CI runs the two stores side by side on two cores, and the browser tests share them.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
