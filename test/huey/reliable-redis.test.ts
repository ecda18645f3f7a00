// Reliable mode: the in-flight storage contract and the huey cases, on redis.
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from './backends.js';
import { inFlightContract } from './in-flight-storage.case.js';
import { reliableCases } from './reliable.case.js';

describeWithRedis('reliable delivery on redis-server', () => {
  const b = useBackend('redis');
  inFlightContract(b);
  reliableCases(b);
});
