// Reliable mode: the in-flight storage contract and the huey cases, on memory.
import { describe } from 'vitest';
import { useBackend } from './backends.js';
import { inFlightContract } from './in-flight-storage.case.js';
import { reliableCases } from './reliable.case.js';

describe('reliable delivery on MemoryStorage', () => {
  const b = useBackend('memory');
  inFlightContract(b);
  reliableCases(b);
});
