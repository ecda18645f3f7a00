// Scenarios for blocking commands, compared with Redis: a scenario opens
// several connections, sends commands that block, waits until the server
// reports its clients as blocked (INFO's blocked_clients, so nothing depends
// on timing), acts, and returns a transcript of the replies. It runs on
// simpledb, then on redis-server, against a flushed server each time, and
// the transcripts must be identical.
import { expect } from 'vitest';
import type { ServerPair } from './differential.js';
import { encodeCommand, RawConnection } from './raw-connection.js';

export interface ScenarioEnv {
  /** A new connection (RESP3 after HELLO 3 when protocol is 3). */
  open(protocol?: 2 | 3): Promise<RawConnection>;
  /** Resolves once the server counts exactly n blocked clients. */
  blocked(n: number): Promise<void>;
}

export type Scenario = (env: ScenarioEnv) => Promise<string[]>;

/** Sends a command without waiting for its reply. */
export function send(c: RawConnection, ...argv: string[]): void {
  c.write(encodeCommand(argv));
}

/** The next reply as text, for the transcript. */
export async function next(c: RawConnection): Promise<string> {
  return (await c.readReply(5000)).toString('latin1');
}

async function runOn(port: number, body: Scenario): Promise<string[]> {
  const opened: RawConnection[] = [];
  const admin = await RawConnection.open(port);
  opened.push(admin);
  try {
    expect(await admin.command('FLUSHALL')).toBe('+OK\r\n');
    return await body({
      async open(protocol = 2) {
        const c = await RawConnection.open(port);
        opened.push(c);
        if (protocol === 3) expect(await c.command('HELLO', '3')).toMatch(/^%/);
        return c;
      },
      async blocked(n) {
        const deadline = Date.now() + 5000;
        for (;;) {
          const last = /blocked_clients:(\d+)/.exec(await admin.command('INFO', 'clients'))?.[1] ?? 'missing';
          if (last === String(n)) return;
          if (Date.now() > deadline) throw new Error(`port ${port}: blocked_clients is ${last}, expected ${n}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    });
  } finally {
    for (const c of opened) c.close();
  }
}

/** Runs the scenario on simpledb and on Redis; the transcripts must match. Returns Redis's. */
export async function compareScenario(pair: ServerPair, body: Scenario): Promise<string[]> {
  const ours = await runOn(pair.simpledbPort, body);
  const theirs = await runOn(pair.redisPort, body);
  expect(theirs.length).toBeGreaterThan(0);
  expect(ours.map((s) => JSON.stringify(s))).toEqual(theirs.map((s) => JSON.stringify(s)));
  return theirs;
}
