import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bounds, not measures: a test that starts two or three node processes needs
    // 20-30 s when the machine is busy (npm run test:stress), so allow twice that.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Spawned servers and consumers share two cores; keep file-level parallelism modest.
    maxWorkers: 2,
  },
});
