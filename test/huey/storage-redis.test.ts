// Storage contract on RedisStorage against a private redis-server.
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from './backends.js';
import { storageContract } from './storage.case.js';

describeWithRedis('RedisStorage on redis-server', () => {
  storageContract(useBackend('redis'));
});
