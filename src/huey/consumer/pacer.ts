// Time-keeping for consumer loops: sleeps that a stop cuts short, and the
// fixed-rate loop the scheduler runs on. Shared by the in-process Consumer
// and the thread/process pool's master.

export class Pacer {
  private stopped = false;
  private readonly sleepers = new Set<() => void>();

  /** Resolves after ms, or at once when stop() is (or was) called. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Wakes every sleeper; later sleeps resolve at once and every() loops end. */
  stop(): void {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
  }

  /**
   * Runs pass() every intervalMs until stop(). A failing pass goes to onError
   * and the loop goes on. After a stall the missed passes are skipped rather
   * than run back to back.
   */
  async every(intervalMs: number, pass: () => Promise<unknown>, onError: (err: unknown) => void): Promise<void> {
    let next = Date.now();
    while (!this.stopped) {
      try {
        await pass();
      } catch (err) {
        onError(err);
      }
      next += intervalMs;
      const now = Date.now();
      if (next < now) next += Math.ceil((now - next) / intervalMs) * intervalMs;
      await this.sleep(next - now);
    }
  }
}
