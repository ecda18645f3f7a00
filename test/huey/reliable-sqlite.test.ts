// Reliable mode: the in-flight storage contract and the huey cases, on SQLite.
import { describe } from 'vitest';
import { useBackend } from './backends.js';
import { inFlightContract } from './in-flight-storage.case.js';
import { reliableCases } from './reliable.case.js';

describe('reliable delivery on SQLite', () => {
  const b = useBackend('sqlite');
  inFlightContract(b);
  reliableCases(b);
});
