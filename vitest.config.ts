import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Timing-sensitive engine tests must not fight each other for the 2 cores.
    fileParallelism: false,
  },
});
