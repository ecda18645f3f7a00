// The commands RedisCluster may send to a replica when `readFrom` allows it:
// data commands that Redis's command table flags readonly, take keys, and
// never block. Left out on purpose: keyless commands (KEYS, SCAN, DBSIZE,
// RANDOMKEY: they are about one node, not a slot), commands that block
// (XREAD may carry BLOCK), and readonly-flagged ones with side effects
// (PFCOUNT caches into its key, TOUCH updates access times). A test checks
// every name against a real server's COMMAND INFO.

const NAMES =
  // strings and bits
  'GET GETRANGE SUBSTR MGET STRLEN LCS GETBIT BITCOUNT BITPOS BITFIELD_RO ' +
  // keys
  'EXISTS TYPE TTL PTTL EXPIRETIME PEXPIRETIME DUMP ' +
  // hashes
  'HGET HMGET HGETALL HKEYS HVALS HLEN HEXISTS HSTRLEN HRANDFIELD HSCAN ' +
  // lists
  'LRANGE LLEN LINDEX LPOS ' +
  // sets
  'SMEMBERS SISMEMBER SMISMEMBER SCARD SRANDMEMBER SINTER SUNION SDIFF SINTERCARD SSCAN ' +
  // sorted sets
  'ZRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZCARD ZSCORE ZMSCORE ZRANK ' +
  'ZREVRANK ZCOUNT ZLEXCOUNT ZRANDMEMBER ZSCAN ZUNION ZINTER ZDIFF ZINTERCARD ' +
  // streams and geo
  'XRANGE XREVRANGE XLEN GEOPOS GEODIST GEOHASH GEOSEARCH GEORADIUS_RO GEORADIUSBYMEMBER_RO ' +
  // scripts and sorting that promise not to write
  'EVAL_RO EVALSHA_RO FCALL_RO SORT_RO';

/** Upper-case names of the commands a replica may serve. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(NAMES.split(' '));
