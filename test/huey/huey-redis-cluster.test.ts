// The storage contract, the reliable-delivery contract and the huey suites
// (seed examples, API, consumer) on RedisHuey against a real Redis Cluster
// (3 primaries, 3 replicas): every key of one huey shares its hash tag, so
// each huey lives in one slot and its transactions never cross slots.
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from './backends.js';
import { consumerCases } from './consumer.case.js';
import { inFlightContract } from './in-flight-storage.case.js';
import { reliableCases } from './reliable.case.js';
import { apiCases } from './seed-api.case.js';
import { gettingStarted } from './seed-getting-started.case.js';
import { storageContract } from './storage.case.js';

describeWithRedis('huey on a Redis Cluster', () => {
  const b = useBackend('redis-cluster');
  storageContract(b);
  inFlightContract(b);
  gettingStarted(b);
  apiCases(b);
  consumerCases(b);
  reliableCases(b);
});
