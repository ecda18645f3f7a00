/**
 * Reading what a storage holds, for the user's listing calls (huey.pending(),
 * scheduled(), inFlight(), allResults(), errors()): messages are decoded,
 * and anything that cannot be decoded is left out or shown as stored,
 * since a listing must never fail on one bad entry.
 */
import type { ErrorMetadata } from './exceptions.js';
import { decodeMessage, decodeStored } from './message.js';
import type { ValueSerializer } from './serializer.js';
import { hasReliableDelivery, type Storage } from './storage/storage.js';
import type { QueueTask } from './task.js';

/** Decodes queue messages, leaving out those that cannot be (the consumer reports them when it meets them). */
export function decodeAll(raws: string[], serializer: ValueSerializer): QueueTask[] {
  const out: QueueTask[] = [];
  for (const raw of raws) {
    try {
      out.push(decodeMessage(raw, serializer));
    } catch {
      // Listing only.
    }
  }
  return out;
}

/** The messages in every registered in-flight list; none when the storage has no reliable delivery. */
export function inFlightMessages(storage: Storage): Promise<string[]> {
  return hasReliableDelivery(storage) ? storage.inFlightItems() : Promise.resolve([]);
}

/** Every stored key/value, decoded where possible (values, or the ErrorMetadata of failures). */
export async function readAllResults(storage: Storage, serializer: ValueSerializer): Promise<Record<string, unknown>> {
  const items = await storage.resultItems();
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(items)) {
    try {
      const stored = decodeStored(raw, serializer);
      out[key] = stored.kind === 'value' ? stored.value : stored.error;
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/** The error list, newest first; an entry that is not JSON is shown with its raw text as `message`. */
export async function readErrors(storage: Storage, options: { limit?: number; offset?: number }): Promise<ErrorMetadata[]> {
  const raws = await storage.getErrors(options.limit, options.offset ?? 0);
  return raws.map((raw) => {
    try {
      return JSON.parse(raw) as ErrorMetadata;
    } catch {
      return { id: null, task: null, retries: 0, retryDelay: 0, executeTime: null, error: 'unreadable error entry', traceback: '', message: raw };
    }
  });
}
