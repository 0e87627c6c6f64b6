import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/temp-root.ts'],
    setupFiles: ['tests/support/fast-check-seed.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
