// Every shared huey suite on one backend: the storage and reliable-delivery
// contracts, the seed examples, the API and consumer cases, reliable mode.
import type { Backend } from './backends.js';
import { consumerCases } from './consumer.case.js';
import { inFlightContract } from './in-flight-storage.case.js';
import { reliableCases } from './reliable.case.js';
import { apiCases } from './seed-api.case.js';
import { gettingStarted } from './seed-getting-started.case.js';
import { storageContract } from './storage.case.js';

/** Registers every shared suite for `b`. */
export function everySuite(b: Backend): void {
  storageContract(b);
  inFlightContract(b);
  gettingStarted(b);
  apiCases(b);
  consumerCases(b);
  reliableCases(b);
}
