/**
 * The dashboard's server push: one subscription to the huey's events
 * channel, shared by every open page (Server-Sent Events). Each event goes
 * to every page as it happens; after a burst of events (and every few
 * seconds, so consumers that die show up) the pages get a fresh overview,
 * read once for all of them. Nothing is read while no page is open.
 */
import type { ServerResponse } from 'node:http';
import type { Huey } from '../../huey/api.js';
import type { EventStream } from '../../huey/events.js';

const OVERVIEW_DEBOUNCE_MS = 300;
const OVERVIEW_EVERY_MS = 5000;
/** Events kept for pages that open later (the event tail starts full). */
const TAIL = 100;

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private stream: EventStream | null = null;
  private readonly recent: string[] = [];
  private debounce: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private reading = false;

  constructor(
    private readonly huey: Huey<boolean>,
    /** Reads the overview sent to pages (JSON-able). */
    private readonly overview: () => Promise<unknown>,
  ) {}

  /** Adds a page: SSE headers, the recent events, then live ones. */
  async add(res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 2000\n\n`);
    for (const e of this.recent) res.write(`event: task\ndata: ${e}\n\n`);
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) void this.stop();
    });
    await this.start();
    this.pushOverview();
  }

  private async start(): Promise<void> {
    if (!this.stream) {
      const stream = this.huey.events();
      this.stream = stream;
      void this.pump(stream);
      await stream.ready;
    }
    if (!this.ticker) {
      this.ticker = setInterval(() => this.pushOverview(), OVERVIEW_EVERY_MS);
      this.ticker.unref();
    }
  }

  private async pump(stream: EventStream): Promise<void> {
    try {
      for await (const event of stream) {
        const data = JSON.stringify(event);
        this.recent.push(data);
        if (this.recent.length > TAIL) this.recent.shift();
        this.broadcast('task', data);
        if (!this.debounce) {
          this.debounce = setTimeout(() => {
            this.debounce = null;
            this.pushOverview();
          }, OVERVIEW_DEBOUNCE_MS);
        }
      }
    } catch {
      // The stream ended with its connection; a page that reconnects starts a new one.
    }
  }

  private pushOverview(): void {
    if (this.reading || this.clients.size === 0) return;
    this.reading = true;
    this.overview()
      .then((o) => this.broadcast('overview', JSON.stringify(o)))
      .catch((err: unknown) => this.broadcast('trouble', JSON.stringify({ error: String(err) })))
      .finally(() => (this.reading = false));
  }

  private broadcast(event: string, data: string): void {
    for (const res of this.clients) res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    if (this.debounce) clearTimeout(this.debounce);
    this.ticker = this.debounce = null;
    const s = this.stream;
    this.stream = null;
    await s?.close();
  }

  /** Ends every page's stream (the server is closing). */
  async close(): Promise<void> {
    for (const res of this.clients) res.end();
    this.clients.clear();
    await this.stop();
  }
}
