/**
 * Gives a storage a capability that a part of its own implements: each of
 * the capability's methods becomes a method of the storage, bound to the
 * part. A backend keeps each capability in a module of its own (say
 * sqlite-unique.ts) without a one-line pass-through method per call; the
 * storage class declares the capability's interface (an interface of the
 * class's name beside it), and the method lists are the ones
 * hasCapability/hasMonitoring check, so what is declared is what is bound.
 */
import { CONTROL_CAPABILITIES, type ControlCapabilities } from './storage.js';

/** Puts `part`'s `methods` on `storage`, bound to `part`. */
export function bindCapability<P extends object, M extends keyof P & string>(storage: object, part: P, methods: readonly M[]): void {
  for (const method of methods) {
    const fn = part[method];
    if (typeof fn !== 'function') throw new TypeError(`${part.constructor.name} has no method ${method}`);
    Object.defineProperty(storage, method, { value: fn.bind(part), writable: true, configurable: true, enumerable: false });
  }
}

/** The parts that implement job-control capabilities, by the feature that needs each. */
export type ControlParts = { [F in keyof ControlCapabilities]?: ControlCapabilities[F] };

/** Binds each part's capability (CONTROL_CAPABILITIES lists its methods) onto `storage`. */
export function bindControls(storage: object, parts: ControlParts): void {
  for (const [feature, part] of Object.entries(parts) as [keyof ControlCapabilities, object][]) {
    bindCapability(storage, part as Record<string, unknown>, CONTROL_CAPABILITIES[feature].methods);
  }
}
