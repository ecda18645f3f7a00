// The `huey` command against a private redis-server.
import { afterAll, beforeAll } from 'vitest';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';
import { requireBuild } from './helpers.js';
import { hueyAdminSuite } from './huey-admin.case.js';

describeWithRedis('huey command on redis-server', { timeout: 60_000 }, () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    requireBuild();
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  hueyAdminSuite(() => redis.port);
});
