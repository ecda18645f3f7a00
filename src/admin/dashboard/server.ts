/**
 * The dashboard's HTTP server (node:http, nothing else): the page and its
 * script and styles, a small JSON API over src/admin (inspection and
 * actions), the live stream (live.ts) and GET /metrics. `metricsOnly`
 * serves /metrics alone (huey-consumer --metrics). Safety rules in guard.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Huey } from '../../huey/api.js';
import { describeError } from '../../huey/exceptions.js';
import { ActionError, FLUSH_TARGETS, flush, pause, promote, remove, restore, resume, retry, revoke, type DeleteFrom, type FlushTarget } from '../actions.js';
import { LIST_KINDS, countLocks, list, periodic, show, status, type ListKind } from '../inspect.js';
import { HistoryCache } from '../history.js';
import { METRICS_CONTENT_TYPE, metricsText } from '../metrics.js';
import { Guard, checkExposure } from './guard.js';
import { LiveHub } from './live.js';
import { APP_CSS } from './page-css.js';
import { APP_JS } from './page-js.js';
import { pageHtml } from './page-html.js';

export interface DashboardOptions {
  port?: number;
  host?: string;
  auth?: string;
  token?: string;
  readOnly?: boolean;
  /** The huey came from the app module (it knows periodic tasks). */
  fromApp?: boolean;
  /** Serve GET /metrics only. */
  metricsOnly?: boolean;
  /** Minutes of history the overview shows (default 60). */
  minutes?: number;
}

export interface Dashboard {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'the body must be a JSON object');
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function send(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function json(res: ServerResponse, data: unknown, status = 200): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(data));
}

/** Runs one action from the page; resolves to what it did. */
async function act(huey: Huey<boolean>, b: Record<string, unknown>): Promise<unknown> {
  const id = str(b.id);
  const task = str(b.task);
  const sel = { ...(id ? { id } : {}), ...(task ? { task } : {}), ...(b.all === true ? { all: true } : {}) };
  switch (b.action) {
    case 'retry':
      return { retried: await retry(huey, sel) };
    case 'promote':
      return { promoted: await promote(huey, sel) };
    case 'revoke': {
      const until = str(b.until);
      await revoke(huey, { ...sel, ...(until ? { until: new Date(until) } : {}), ...(b.once === true ? { once: true } : {}) });
      return { revoked: id ?? task };
    }
    case 'restore':
      return { restored: await restore(huey, sel) };
    case 'pause':
      await pause(huey, task ?? '');
      return { paused: task };
    case 'resume':
      return { resumed: task, wasPaused: await resume(huey, task ?? '') };
    case 'delete': {
      const from = str(b.from) as DeleteFrom | undefined;
      if (!id || !from || !['pending', 'scheduled', 'errors', 'results'].includes(from)) throw new ActionError('delete: give id and from (pending, scheduled, errors or results)');
      return { deleted: await remove(huey, from, id) };
    }
    case 'flush': {
      const what = str(b.what) as FlushTarget | undefined;
      if (!what || !(FLUSH_TARGETS as readonly string[]).includes(what)) throw new ActionError(`flush: what must be one of ${FLUSH_TARGETS.join(', ')}`);
      return { flushed: what, count: await flush(huey, what) };
    }
    default:
      throw new ActionError(`unknown action ${JSON.stringify(b.action)}`);
  }
}

export async function startDashboard(huey: Huey<boolean>, options: DashboardOptions = {}): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const guardOptions = { host, ...(options.auth ? { auth: options.auth } : {}), ...(options.token ? { token: options.token } : {}), readOnly: options.readOnly === true };
  checkExposure(guardOptions);
  const guard = new Guard(guardOptions);
  const readOnly = options.readOnly === true;
  const minutes = options.minutes ?? 60;
  // Pushed after every burst of activity: the past minutes and the lock count (which reads every
  // result key) are read at most once a minute and every 30 s.
  const history = new HistoryCache(huey, minutes);
  let locks: { n: number; at: number } | null = null;
  const lockCount = async () => {
    if (!locks || Date.now() - locks.at > 30_000) locks = { n: await countLocks(huey), at: Date.now() };
    return locks.n;
  };
  const overview = async () => ({ ...(await status(huey, minutes, { history: () => history.read(), locks: lockCount })), at: Date.now() });
  const hub = new LiveHub(huey, overview);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const path = url.pathname;
    if (!guard.authorized(req)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="huey", charset="UTF-8"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    if (req.method === 'GET' && path === '/metrics') return send(res, 200, METRICS_CONTENT_TYPE, await metricsText(huey));
    if (options.metricsOnly) throw new HttpError(404, 'not found (this port serves /metrics only)');
    if (req.method === 'POST' && path === '/api/action') {
      if (readOnly) throw new HttpError(403, 'the dashboard is read-only');
      if (!guard.csrfOk(req)) throw new HttpError(403, 'missing or wrong CSRF token');
      return json(res, await act(huey, await body(req)));
    }
    if (req.method !== 'GET') throw new HttpError(405, 'method not allowed');
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', pageHtml({ name: huey.name, csrf: guard.csrfToken, readOnly, fromApp: options.fromApp === true }));
    if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', APP_JS);
    if (path === '/app.css') return send(res, 200, 'text/css; charset=utf-8', APP_CSS);
    if (path === '/api/overview') return json(res, await overview());
    if (path === '/api/stream') return hub.add(res, typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined);
    if (path === '/api/periodic') return json(res, options.fromApp ? await periodic(huey, new Date(), 3) : null);
    const listMatch = /^\/api\/list\/([a-z]+)$/.exec(path);
    if (listMatch && (LIST_KINDS as readonly string[]).includes(listMatch[1] as string)) {
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 200) || 200));
      const task = url.searchParams.get('task') || undefined;
      return json(res, await list(huey, listMatch[1] as ListKind, { limit, ...(task ? { task } : {}) }));
    }
    const taskMatch = /^\/api\/task\/([^/]+)$/.exec(path);
    if (taskMatch) return json(res, await show(huey, decodeURIComponent(taskMatch[1] as string)));
    throw new HttpError(404, 'not found');
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof ActionError ? 400 : 500;
      if (!res.headersSent) json(res, { error: err instanceof HttpError || err instanceof ActionError ? err.message : describeError(err) }, status);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: `http://${shown}:${port}/`,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
