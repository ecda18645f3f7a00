// Storage contract on MemoryStorage.
import { describe } from 'vitest';
import { useBackend } from './backends.js';
import { storageContract } from './storage.case.js';

describe('MemoryStorage', () => {
  storageContract(useBackend('memory'));
});
