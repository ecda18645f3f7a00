/**
 * The dashboard's server push: one subscription to the huey's events
 * channel, shared by every open page (Server-Sent Events). Events are
 * forwarded as they were published (no parsing), in batches every
 * BATCH_MS, at most the newest BATCH_MAX of them: a page shows a tail, and
 * a queue running 20,000 tasks a second must not cost the consumer that
 * serves the page. After activity (at most every OVERVIEW_MIN_MS) and every
 * OVERVIEW_EVERY_MS (so consumers that die show up) the pages get a fresh
 * overview, read once for all of them. Nothing is read while no page is open.
 *
 * Under a heavy load (more than BUSY_EVENTS in one batch) the hub lets go of
 * the channel for PAUSE_MS and pushes overviews on a timer instead: reading
 * every event of a queue that runs tens of thousands of tasks a second would
 * cost more CPU than the page is worth (on a small machine, CPU the consumers
 * and the server need), and the tail would show only the newest fifty anyway.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Huey } from '../../huey/api.js';
import type { EventSubscription } from '../../huey/storage/storage.js';

const BATCH_MS = 200;
const BATCH_MAX = 50;
const OVERVIEW_MIN_MS = 1000;
const OVERVIEW_EVERY_MS = 2000;
/** More events than this in one batch (1,250 a second) is a blur on a page: the hub lets go. */
const BUSY_EVENTS = 250;
const PAUSE_MS = 3000;
/** Events kept for pages that open later (their event tail starts full). */
const TAIL = 100;

/** An event as the hub keeps it: its number, and the JSON a page gets. */
interface Numbered {
  seq: number;
  json: string;
}

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private subscription: EventSubscription | null = null;
  private recent: Numbered[] = [];
  private batch: Numbered[] = [];
  /**
   * Events are numbered in arrival order (pages order and deduplicate by it,
   * event-order.ts); the hub's id tells a page whether numbers it holds are
   * this hub's (a restarted dashboard counts again from 1).
   */
  private seq = 0;
  private readonly hubId = randomBytes(6).toString('hex');
  private flushTimer: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private lastOverview = 0;
  private overviewDue = false;
  private reading = false;
  private seen = 0;
  private resubscribe: NodeJS.Timeout | null = null;

  constructor(
    private readonly huey: Huey<boolean>,
    /** Reads the overview sent to pages (JSON-able). */
    private readonly overview: () => Promise<unknown>,
  ) {}

  /**
   * Adds a page: SSE headers, the recent events, then live ones. A page that
   * reconnects (EventSource sends the last id it got) gets only the recent
   * events it has not seen.
   */
  async add(res: ServerResponse, lastEventId?: string): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const [hub, last] = (lastEventId ?? '').split('.');
    const after = hub === this.hubId ? Number(last) : 0;
    const missed = this.recent.filter((e) => e.seq > after);
    if (missed.length) res.write(this.tasksMessage(missed));
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) void this.stop();
    });
    await this.start();
    this.lastOverview = 0;
    this.pushOverview();
  }

  /** A `tasks` message: the events with their numbers, and the newest number as the SSE id. */
  private tasksMessage(events: Numbered[]): string {
    const newest = (events[events.length - 1] as Numbered).seq;
    return `event: tasks\nid: ${this.hubId}.${newest}\ndata: {"hub":"${this.hubId}","events":[${events.map((e) => e.json).join(',')}]}\n\n`;
  }

  private async start(): Promise<void> {
    if (!this.subscription && !this.resubscribe) {
      const sub = this.huey.storage.listener();
      this.subscription = sub;
      void this.pump(sub);
      await sub.ready;
    }
    if (!this.ticker) {
      this.ticker = setInterval(() => this.pushOverview(), OVERVIEW_EVERY_MS);
      this.ticker.unref();
    }
  }

  private async pump(sub: EventSubscription): Promise<void> {
    try {
      for await (const raw of sub) {
        if (sub !== this.subscription) break;
        if (++this.seen > BUSY_EVENTS) {
          this.letGo(sub);
          break;
        }
        // Wrapped as it came (no parse, no re-encoding): a consumer's event is JSON.
        const seq = ++this.seq;
        this.batch.push({ seq, json: `{"seq":${seq},"at":${Date.now()},"event":${raw}}` });
        if (this.batch.length > BATCH_MAX) this.batch.shift();
        this.flushTimer ??= setTimeout(() => this.flushBatch(), BATCH_MS);
      }
    } catch {
      // The subscription ended with its connection; a page that reconnects starts a new one.
    }
  }

  /** Busy: stop reading events for a while; overviews keep coming on the ticker. */
  private letGo(sub: EventSubscription): void {
    this.subscription = null;
    void sub.close();
    this.broadcast('busy', JSON.stringify({ pausedMs: PAUSE_MS }));
    this.resubscribe = setTimeout(() => {
      this.resubscribe = null;
      if (this.clients.size) void this.start().catch(() => undefined);
    }, PAUSE_MS);
    this.resubscribe.unref();
  }

  private flushBatch(): void {
    this.flushTimer = null;
    this.seen = 0;
    const batch = this.batch;
    this.batch = [];
    this.recent = this.recent.concat(batch).slice(-TAIL);
    if (batch.length) {
      const message = this.tasksMessage(batch);
      for (const res of this.clients) res.write(message);
    }
    this.overviewDue = true;
    this.pushOverview();
  }

  private pushOverview(): void {
    if (this.reading || this.clients.size === 0) return;
    const wait = this.lastOverview + OVERVIEW_MIN_MS - Date.now();
    if (wait > 0) {
      // Activity within the last second: one more overview when the second is over.
      if (this.overviewDue && !this.flushTimer) this.flushTimer = setTimeout(() => this.flushBatch(), wait);
      return;
    }
    this.overviewDue = false;
    this.reading = true;
    this.lastOverview = Date.now();
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
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.resubscribe) clearTimeout(this.resubscribe);
    this.ticker = this.flushTimer = this.resubscribe = null;
    const s = this.subscription;
    this.subscription = null;
    await s?.close();
  }

  /** Ends every page's stream (the server is closing). */
  async close(): Promise<void> {
    for (const res of this.clients) res.end();
    this.clients.clear();
    await this.stop();
  }
}
