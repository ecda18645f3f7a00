// The storage contract, the reliable-delivery contract and the huey suites
// (seed examples, API, consumer) on RedisHuey with the primary found through Redis Sentinel
// (1 primary, 1 replica, 3 sentinels).
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from './backends.js';
import { consumerCases } from './consumer.case.js';
import { inFlightContract } from './in-flight-storage.case.js';
import { reliableCases } from './reliable.case.js';
import { apiCases } from './seed-api.case.js';
import { gettingStarted } from './seed-getting-started.case.js';
import { storageContract } from './storage.case.js';

describeWithRedis('huey through Redis Sentinel', () => {
  const b = useBackend('redis-sentinel');
  storageContract(b);
  inFlightContract(b);
  gettingStarted(b);
  apiCases(b);
  consumerCases(b);
  reliableCases(b);
});
