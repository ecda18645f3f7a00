// How Redis 7.0 encodes a string value (OBJECT ENCODING, OBJECT REFCOUNT).
//
// SET and its kin store what tryObjectEncoding makes of the text: an
// integer (up to 20 characters, canonical, within int64) is "int", a
// shorter text is "embstr" (44 bytes fit one allocation beside the object
// header), a longer one "raw". Integers 0..9999 are shared objects whose
// reference count Redis reports as INT_MAX. Commands that build or edit a
// string in place (APPEND, SETRANGE) leave it "raw", and INCRBYFLOAT stores
// its text without trying an integer: the database records those
// exceptions per key (Database.stringEncoding), since a JS string cannot
// carry a flag.

export type StringEncoding = 'int' | 'embstr' | 'raw';

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44;
/** Redis's OBJ_SHARED_INTEGERS: 0..9999 are shared. */
const SHARED_INTEGERS = 10000;
/** What OBJECT REFCOUNT reports for a shared object (OBJ_SHARED_REFCOUNT). */
export const SHARED_REFCOUNT = 2147483647;

const INT_RE = /^(?:0|-?[1-9][0-9]*)$/;

/** True when string2l accepts s: a canonical integer within int64. */
function isCanonicalInt64(s: string): boolean {
  if (s.length === 0 || s.length > 20 || !INT_RE.test(s)) return false;
  if (s.length <= 18) return true;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** The encoding tryObjectEncoding gives a text (what SET stores). */
export function encodingOfText(s: string): StringEncoding {
  if (isCanonicalInt64(s)) return 'int';
  return s.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** Whether SET would store s as one of Redis's shared integers. */
export function isSharedInteger(s: string): boolean {
  return s.length <= 4 && isCanonicalInt64(s) && Number(s) >= 0 && Number(s) < SHARED_INTEGERS;
}
