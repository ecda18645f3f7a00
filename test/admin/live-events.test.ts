// The dashboard's live event list keeps events in the order they happened:
// the page's merge (event-order.ts, embedded in the page script) orders by the
// consumer's timestamp, then by the hub's arrival number, and adds nothing
// twice; the hub (live.ts, through a real dashboard server) numbers events
// and, to a page that reconnects with the last id it got, sends only the
// recent events it has not seen.
import { describe, expect, it } from 'vitest';
import { MemoryHuey, silentLogger } from '../../src/huey/index.js';
import { mergeLiveEvents, type LiveEvent } from '../../src/admin/dashboard/event-order.js';
import { APP_JS } from '../../src/admin/dashboard/page-js.js';
import { startDashboard } from '../../src/admin/dashboard/server.js';

const ev = (seq: number, at: number, status: string, timestamp?: number): LiveEvent => ({ seq, at, status, id: 't1', ...(timestamp === undefined ? {} : { timestamp }) });

describe('mergeLiveEvents', () => {
  it('orders by the event time, not by arrival: finished arriving before executing still shows after it', () => {
    const finished = ev(1, 5000, 'finished', 4.2);
    const executing = ev(2, 5001, 'executing', 4.1);
    expect(mergeLiveEvents([], [finished, executing], 10).map((e) => e.status)).toEqual(['executing', 'finished']);
    // Across batches too: the earlier event arriving in a later batch goes before.
    const list = mergeLiveEvents([], [finished], 10);
    expect(mergeLiveEvents(list, [executing], 10).map((e) => e.status)).toEqual(['executing', 'finished']);
  });

  it('uses the arrival time for an event without a timestamp, and the arrival number among equal times', () => {
    const a = ev(1, 4150, 'executing', 4.1);
    const b = ev(2, 4300, 'error'); // no timestamp: it happened by 4.3 s
    const c = ev(3, 4301, 'retrying', 4.2); // stamped earlier than b's arrival
    const d = ev(4, 4400, 'finished', 4.2); // same time as c: arrival decides
    expect(mergeLiveEvents([], [d, b, c, a], 10).map((e) => e.seq)).toEqual([1, 3, 4, 2]);
  });

  it('adds an event sent again (a reconnect, a backfill) only once, and keeps the newest max', () => {
    const first = [ev(1, 1000, 'executing', 1), ev(2, 1001, 'finished', 1.001)];
    const list = mergeLiveEvents([], first, 10);
    const again = mergeLiveEvents(list, [...first, ev(3, 1002, 'executing', 1.002)], 10);
    expect(again.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(mergeLiveEvents(again, [ev(4, 1003, 'finished', 1.003)], 2).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('is the function the page runs', () => {
    expect(APP_JS).toContain(mergeLiveEvents.toString());
    const pageMerge = new Function(`return ${mergeLiveEvents.toString()}`)() as typeof mergeLiveEvents;
    expect(pageMerge([], [ev(1, 2, 'finished', 2), ev(2, 1, 'executing', 1)], 5).map((e) => e.status)).toEqual(['executing', 'finished']);
  });
});

/** One SSE stream of the dashboard: its `tasks` messages as they come. */
function openStream(url: string, lastEventId?: string) {
  const abort = new AbortController();
  const messages: { id: string; hub: string; events: { seq: number; at: number; event: { status: string; id: string } }[] }[] = [];
  let wake: () => void = () => undefined;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const opened = fetch(`${url}api/stream`, { signal: abort.signal, headers: lastEventId ? { 'last-event-id': lastEventId } : {} });
  const reading = (async () => {
    const res = await opened;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
          // The hub sends an overview once it listens to the events channel.
          if (field('event') === 'overview') listening();
          if (field('event') !== 'tasks') continue;
          messages.push({ id: field('id') ?? '', ...JSON.parse(field('data') ?? '{}') });
          wake();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    messages,
    ready,
    /** Resolves once `n` events in all have come. */
    async events(n: number) {
      const count = () => messages.reduce((k, m) => k + m.events.length, 0);
      while (count() < n) await new Promise<void>((resolve) => (wake = resolve));
      return messages.flatMap((m) => m.events);
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

describe('the hub', () => {
  it('numbers events in arrival order, and a page that reconnects with its last id gets only what it missed', { timeout: 30_000 }, async () => {
    const huey = new MemoryHuey('live-order', { logger: silentLogger });
    const dash = await startDashboard(huey, { port: 0 });
    const emit = (status: string, id: string) => huey.storage.emit(JSON.stringify({ status, error: false, id, task: 'add' }));
    try {
      const a = openStream(dash.url); // stays open all along, so the hub keeps listening
      const b = openStream(dash.url);
      await Promise.all([a.ready, b.ready]);
      await emit('executing', 'x0');
      const [bFirst] = await b.events(1);
      await a.events(1);
      await emit('finished', 'x0');
      const seenByB = await b.events(2);
      expect(seenByB.map((w) => [w.seq, w.event.status])).toEqual([
        [1, 'executing'],
        [2, 'finished'],
      ]);
      expect(bFirst?.seq).toBe(1);
      const lastId = (b.messages[b.messages.length - 1] as { id: string }).id;
      expect(lastId).toMatch(/^[0-9a-f]+\.2$/);
      await b.close();
      await emit('executing', 'x1');
      await emit('finished', 'x1');
      await a.events(4);
      // b comes back: only the two events it missed, not the two it had.
      const back = openStream(dash.url, lastId);
      const missed = await back.events(2);
      expect(missed.map((w) => [w.seq, w.event.id, w.event.status])).toEqual([
        [3, 'x1', 'executing'],
        [4, 'x1', 'finished'],
      ]);
      // A page without an id (or another hub's) gets the recent events in full.
      const fresh = openStream(dash.url, 'feedface.2');
      expect((await fresh.events(4)).map((w) => w.seq)).toEqual([1, 2, 3, 4]);
      await Promise.all([a.close(), back.close(), fresh.close()]);
    } finally {
      await dash.close();
      await huey.close();
    }
  });
});
