/**
 * Gives a storage a capability that a part of its own implements: each of
 * the capability's methods becomes a method of the storage, bound to the
 * part. A backend keeps each capability in a module of its own (say
 * sqlite-unique.ts) without a one-line pass-through method per call; the
 * storage class declares the capability's interface (an interface of the
 * class's name beside it), and the method lists are the ones
 * hasCapability/hasMonitoring check, so what is declared is what is bound.
 */

/** Puts `part`'s `methods` on `storage`, bound to `part`. */
export function bindCapability<P extends object, M extends keyof P & string>(storage: object, part: P, methods: readonly M[]): void {
  for (const method of methods) {
    const fn = part[method];
    if (typeof fn !== 'function') throw new TypeError(`${part.constructor.name} has no method ${method}`);
    Object.defineProperty(storage, method, { value: fn.bind(part), writable: true, configurable: true, enumerable: false });
  }
}
