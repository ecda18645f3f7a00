/**
 * The dashboard's safety rules: it binds to loopback unless told otherwise,
 * refuses a non-loopback address without credentials (unless read-only),
 * checks credentials on every request (HTTP basic or a bearer token,
 * compared in constant time), and accepts a POST only with the page's CSRF
 * token in a header (which a cross-site form cannot send) and, when the
 * browser says where it comes from, the same origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardOptions {
  host: string;
  /** `user:pass` for HTTP basic auth. */
  auth?: string;
  /** Bearer token. */
  token?: string;
  readOnly?: boolean;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Throws when the options would expose actions to the network without credentials. */
export function checkExposure(o: GuardOptions): void {
  if (o.auth !== undefined && !/^[^:]+:.+$/.test(o.auth)) throw new Error('--auth must be user:password');
  if (o.token !== undefined && o.token.length < 8) throw new Error('--token must be at least 8 characters');
  if (!isLoopback(o.host) && o.auth === undefined && o.token === undefined && !o.readOnly) {
    throw new Error(`refusing to serve the dashboard on ${o.host} without --auth user:pass or --token (or --read-only): anyone who can reach it could act on the queue`);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Guard {
  /** The token the page sends back with every POST. */
  readonly csrfToken = randomBytes(18).toString('base64url');

  constructor(private readonly o: GuardOptions) {}

  /** Whether the request carries the configured credentials (true when none are configured). */
  authorized(req: IncomingMessage): boolean {
    if (this.o.auth === undefined && this.o.token === undefined) return true;
    const header = req.headers.authorization ?? '';
    if (this.o.token !== undefined && header.startsWith('Bearer ') && same(header.slice(7), this.o.token)) return true;
    if (this.o.auth !== undefined && header.startsWith('Basic ')) {
      return same(Buffer.from(header.slice(6), 'base64').toString(), this.o.auth);
    }
    return false;
  }

  /** Whether a POST may act: CSRF header matches and the origin, if sent, is this host. */
  csrfOk(req: IncomingMessage): boolean {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !same(sent, this.csrfToken)) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
}
