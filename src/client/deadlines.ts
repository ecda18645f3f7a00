// Command timeouts: the commands that have a deadline, oldest first, and the one
// timer that expires them. A command keeps its place in the command queue when it
// times out (its reply, if it ever comes, is read and dropped), so replies stay in
// step; only its caller is told.
import { TimeoutError } from './errors.js';
import { Fifo } from './fifo.js';
import type { PendingCommand } from './pending-command.js';

/** The deadlines of the commands still waiting, with a single timer. */
export class Deadlines {
  private readonly timed = new Fifo<PendingCommand>();
  private timer: NodeJS.Timeout | null = null;

  /**
   * @param commandTimeout the client's commandTimeout in ms; 0 gives no command a deadline.
   * @param onExpired told (before the caller is rejected) about each command that timed out.
   */
  constructor(
    private readonly commandTimeout: number,
    private readonly onExpired: (cmd: PendingCommand) => void,
  ) {}

  /** Whether commands get deadlines at all. */
  get enabled(): boolean {
    return this.commandTimeout > 0;
  }

  /** Deadlines not yet dropped: answered commands leave as soon as they reach the head. */
  get length(): number {
    return this.timed.length;
  }

  /** Gives `cmd` the client's commandTimeout plus `extraMs` (a blocking command's own block time). */
  set(cmd: PendingCommand, extraMs: number): void {
    const ms = this.commandTimeout;
    if (ms <= 0) return;
    cmd.timeoutMs = ms + extraMs;
    cmd.deadline = Date.now() + cmd.timeoutMs;
    this.timed.push(cmd);
    if (this.timer === null) this.arm(cmd.timeoutMs);
  }

  /** Drops answered commands from the head so the queue holds only what is pending. */
  answered(cmd: PendingCommand): void {
    const timed = this.timed;
    let head: PendingCommand | undefined;
    while ((head = timed.peek()) !== undefined && (head.done || head === cmd)) timed.shift();
  }

  /** Forgets every deadline (the client is closed and has rejected everything). */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timed.drain();
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.expire, Math.max(ms, 1));
    this.timer.unref();
  }

  // Deadlines are checked oldest first; a command queued behind a longer one
  // (a blocking command) is checked once that one is settled or expired.
  private readonly expire = (): void => {
    this.timer = null;
    const now = Date.now();
    let cmd: PendingCommand | undefined;
    while ((cmd = this.timed.peek()) !== undefined) {
      if (!cmd.done) {
        if (cmd.deadline > now) {
          this.arm(cmd.deadline - now);
          return;
        }
        cmd.done = true;
        this.onExpired(cmd);
        cmd.reject(new TimeoutError(cmd.name, cmd.timeoutMs));
      }
      this.timed.shift();
    }
  };
}
