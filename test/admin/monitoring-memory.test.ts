// The Monitoring capability and consumer records/counters on memory.
import { describe } from 'vitest';
import { useBackend } from '../huey/backends.js';
import { monitoringContract } from './monitoring.case.js';

describe('Monitoring on memory', () => {
  monitoringContract(useBackend('memory'));
});
