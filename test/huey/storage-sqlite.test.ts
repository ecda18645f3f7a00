// Storage contract on SqliteStorage (a temporary file, libsql).
import { describe } from 'vitest';
import { useBackend } from './backends.js';
import { storageContract } from './storage.case.js';

describe('SqliteStorage', () => {
  storageContract(useBackend('sqlite'));
});
