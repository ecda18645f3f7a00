// The JavaScript shapes a decoded RESP2/RESP3 reply can take.

/**
 * A decoded reply. Bulk strings are `string` (UTF-8) or `Buffer` depending on the
 * decoder's mode; integers and doubles are `number`; RESP3 big numbers are `bigint`;
 * nil and RESP3 null are `null`; maps are `Map`, sets are `Set`; error replies
 * nested inside aggregates are instances of `E`.
 */
export type RespValue<E = Error> =
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | null
  | E
  | RespValue<E>[]
  | Map<RespValue<E>, RespValue<E>>
  | Set<RespValue<E>>;

/** Default representation of an error reply when no factory is supplied. */
export class RespErrorReply extends Error {
  override readonly name = 'RespErrorReply';
}
