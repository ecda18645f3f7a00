// The decoded reply type shared by the client's modules (a leaf, so none of
// them needs to import the RedisClient facade for it).
import type { RespValue } from '../resp/types.js';
import type { ReplyError } from './errors.js';

/** A decoded reply: bulk strings are strings from call() and Buffers from callBuffer(). */
export type Reply = RespValue<ReplyError>;
