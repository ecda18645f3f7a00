// Every command simpledb knows, gathered from one file per family.
import type { BuiltinCommand } from '../client.js';
import { connectionCommands } from './connection.js';
import { hashCommands } from './hashes.js';
import { introspectionCommands } from './introspection.js';
import { keyspaceCommands } from './keyspace.js';
import { listBlockingCommands } from './list-blocking.js';
import { listCommands } from './lists.js';
import { memoryCommands } from './memory.js';
import { objectCommands } from './object.js';
import { persistenceCommands } from './persistence.js';
import { pubsubCommands } from './pubsub.js';
import { replicationCommands } from './replication.js';
import { serverCommands } from './server.js';
import { setCommands } from './sets.js';
import { sortCommands } from './sort.js';
import { sortedSetPopCommands } from './sorted-set-pops.js';
import { sortedSetRangeCommands } from './sorted-set-ranges.js';
import { sortedSetAlgebraCommands } from './sorted-set-setops.js';
import { sortedSetCommands } from './sorted-sets.js';
import { streamCommands } from './streams.js';
import { streamClaimCommands } from './stream-claims.js';
import { streamGroupCommands } from './stream-groups.js';
import { streamInfoCommands } from './stream-info.js';
import { stringCommands } from './strings.js';
import { transactionCommands } from './transactions.js';

export const allCommands: readonly BuiltinCommand[] = [
  ...connectionCommands,
  ...keyspaceCommands,
  ...objectCommands,
  ...memoryCommands,
  ...stringCommands,
  ...listCommands,
  ...listBlockingCommands,
  ...hashCommands,
  ...setCommands,
  ...sortedSetCommands,
  ...sortedSetRangeCommands,
  ...sortedSetPopCommands,
  ...sortedSetAlgebraCommands,
  ...sortCommands,
  ...streamCommands,
  ...streamGroupCommands,
  ...streamClaimCommands,
  ...streamInfoCommands,
  ...pubsubCommands,
  ...transactionCommands,
  ...serverCommands,
  ...introspectionCommands,
  ...replicationCommands,
  ...persistenceCommands,
];
