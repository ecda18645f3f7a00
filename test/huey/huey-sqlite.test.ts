// The huey suites (seed examples, API, consumer, job controls, groups and chords) on SqliteHuey (a temporary file).
import { describe } from 'vitest';
import { useBackend } from './backends.js';
import { chordCases } from './chord.case.js';
import { consumerCases } from './consumer.case.js';
import { fanOutCases } from './fan-out.case.js';
import { jobControlCases } from './job-controls.case.js';
import { apiCases } from './seed-api.case.js';
import { gettingStarted } from './seed-getting-started.case.js';

describe('huey on SQLite', () => {
  const b = useBackend('sqlite');
  gettingStarted(b);
  apiCases(b);
  consumerCases(b);
  jobControlCases(b);
  fanOutCases(b);
  chordCases(b);
});
