// Mail tasks, each with a connection borrowed from its worker's pool: the
// pool opens when a worker starts and closes when it stops (huey.onStartup /
// huey.onShutdown), as Django's db_task does around each task.
import { huey } from '../../huey.js';

/** A stand-in for a real pool (an SMTP or database client): it counts what is borrowed. */
class Pool {
  borrowed = 0;
  closed = false;
  async acquire() {
    if (this.closed) throw new Error('pool is closed');
    this.borrowed++;
    return { send: async (to, subject) => `sent "${subject}" to ${to}`, release: () => this.borrowed-- };
  }
  async close() {
    this.closed = true;
  }
}

let pool = null;
huey.onStartup('mail pool', () => {
  pool ??= new Pool();
});
huey.onShutdown('mail pool', async () => {
  await pool?.close();
  pool = null;
});

/** Sends a mail with a connection that is given back whatever happens. */
export const sendWelcome = huey.task(
  async (to) => {
    const conn = await pool.acquire();
    try {
      return await conn.send(to, 'Welcome!');
    } finally {
      conn.release();
    }
  },
  { name: 'sendWelcome' },
);
