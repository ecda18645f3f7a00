// Storage contract on RedisStorage against an in-process simpledb.
import { describe } from 'vitest';
import { useBackend } from './backends.js';
import { storageContract } from './storage.case.js';

describe('RedisStorage on simpledb', () => {
  storageContract(useBackend('simpledb'));
});
