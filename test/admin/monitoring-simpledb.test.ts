// The Monitoring capability and consumer records/counters on simpledb.
import { describe } from 'vitest';
import { useBackend } from '../huey/backends.js';
import { monitoringContract } from './monitoring.case.js';

describe('Monitoring on simpledb', () => {
  monitoringContract(useBackend('simpledb'));
});
