/**
 * Reliable mode's settings (the `reliable`, `recoveryDelay`,
 * `heartbeatInterval` and `maxRecoveries` options of Huey), checked once, and
 * the ids consumers are known by. How the pieces fit together is described
 * in docs/reliability.md; the moving parts are consumer/membership.ts
 * (heartbeats), consumer/recovery.ts (handing a dead consumer's tasks back)
 * and the in-flight mode of consumer/feed.ts.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigurationError } from './exceptions.js';

/** Reliable mode's timings (ms) and limits. */
export interface ReliabilitySettings {
  /** How long after its last heartbeat a consumer counts as dead, at most (the heartbeat's TTL plus one check interval). */
  recoveryDelayMs: number;
  /** Time between heartbeats; also how often schedulers look for dead consumers. */
  heartbeatIntervalMs: number;
  /** How long a heartbeat lives: recoveryDelay less one check interval, so a death is acted on within recoveryDelay. */
  heartbeatTtlMs: number;
  /** A task recovered more often than this goes to the error list. */
  maxRecoveries: number;
}

/** The reliability options of HueyOptions. */
export interface ReliabilityOptions {
  recoveryDelay?: number;
  heartbeatInterval?: number;
  maxRecoveries?: number;
}

/** Checks the options and fills in the defaults (30 s; a fifth of that, at most 5 s; 3). */
export function reliabilitySettings(options: ReliabilityOptions): ReliabilitySettings {
  const recoveryDelay = options.recoveryDelay ?? 30;
  if (typeof recoveryDelay !== 'number' || !(recoveryDelay > 0) || !Number.isFinite(recoveryDelay)) {
    throw new ConfigurationError('recoveryDelay must be a positive number of seconds');
  }
  const heartbeatInterval = options.heartbeatInterval ?? Math.min(5, recoveryDelay / 5);
  // Two intervals at least: one for the heartbeat to live through, one for the check that notices it is gone.
  if (typeof heartbeatInterval !== 'number' || !(heartbeatInterval > 0) || heartbeatInterval * 2 >= recoveryDelay) {
    throw new ConfigurationError('heartbeatInterval must be a positive number of seconds, less than half of recoveryDelay');
  }
  const maxRecoveries = options.maxRecoveries ?? 3;
  if (!Number.isInteger(maxRecoveries) || maxRecoveries < 0) {
    throw new ConfigurationError('maxRecoveries must be a whole number of at least 0');
  }
  const recoveryDelayMs = recoveryDelay * 1000;
  const heartbeatIntervalMs = heartbeatInterval * 1000;
  return { recoveryDelayMs, heartbeatIntervalMs, heartbeatTtlMs: recoveryDelayMs - heartbeatIntervalMs, maxRecoveries };
}

/** A new consumer id: host, pid and a random part (a restarted consumer is a new one). */
export function newConsumerId(): string {
  // Braces would break the huey's Redis hash tag; no host name has them, but be sure.
  const host = hostname().replace(/[{}\s]/g, '_') || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
