import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bounds, not measures: a test that starts two or three node processes needs
    // 20-30 s when the machine is busy (npm run test:stress); the huey command's
    // tests (a consumer, then six to eight CLI runs in a row) took over 60 s
    // there beside other work (load 20-30 on two cores), so allow 120 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Spawned servers and consumers share two cores; keep file-level parallelism modest.
    maxWorkers: 2,
  },
});
