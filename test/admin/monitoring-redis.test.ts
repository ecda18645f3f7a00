// The Monitoring capability and consumer records/counters on redis.
import { describeWithRedis } from '../helpers/redis-server.js';
import { useBackend } from '../huey/backends.js';
import { monitoringContract } from './monitoring.case.js';

describeWithRedis('Monitoring on redis', () => {
  monitoringContract(useBackend('redis'));
});
