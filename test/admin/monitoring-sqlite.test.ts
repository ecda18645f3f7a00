// The Monitoring capability and consumer records/counters on SQLite (a temporary file).
import { describe } from 'vitest';
import { useBackend } from '../huey/backends.js';
import { monitoringContract } from './monitoring.case.js';

describe('Monitoring on SQLite', () => {
  monitoringContract(useBackend('sqlite'));
});
