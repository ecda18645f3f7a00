// Every shared huey suite (storage and reliable contracts, seed examples, API,
// consumer) on RedisHuey against a real Redis Cluster (3 primaries, 3
// replicas): every key of one huey shares its hash tag, so each huey lives in
// one slot and its transactions never cross slots.
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from './backends.js';
import { everySuite } from './every-suite.case.js';

describeWithRedis('huey on a Redis Cluster', () => {
  everySuite(useBackend('redis-cluster'));
});
