// The `huey` command against a private redis-server.
import { useCliServer } from '../helpers/cli-server.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { hueyAdminSuite } from './huey-admin.case.js';

describeWithRedis('huey command on redis-server', { timeout: 60_000 }, () => {
  const redis = useCliServer('redis');
  hueyAdminSuite(() => redis.port);
});
