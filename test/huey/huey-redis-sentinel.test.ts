// Every shared huey suite (storage and reliable contracts, seed examples, API,
// consumer) on RedisHuey with the primary found through Redis Sentinel (1
// primary, 1 replica, 3 sentinels).
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from './backends.js';
import { everySuite } from './every-suite.case.js';

describeWithRedis('huey through Redis Sentinel', () => {
  everySuite(useBackend('redis-sentinel'));
});
