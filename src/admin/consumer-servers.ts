/**
 * `huey-consumer --dashboard [PORT]` and `--metrics [PORT]`: the dashboard
 * (with /metrics) or /metrics alone, served by the consumer process on
 * 127.0.0.1 for the huey it runs. Off loopback, run `huey dashboard` with
 * --auth instead.
 */
import type { Huey } from '../huey/api.js';
import type { Logger } from '../huey/logger.js';
import { startDashboard, type Dashboard } from './dashboard/server.js';

export const DEFAULT_DASHBOARD_PORT = 8080;
export const DEFAULT_METRICS_PORT = 9464;

export async function startConsumerServers(huey: Huey<boolean>, ports: { dashboard?: number; metrics?: number }, logger: Logger): Promise<Dashboard[]> {
  const started: Dashboard[] = [];
  if (ports.dashboard !== undefined) {
    const d = await startDashboard(huey, { port: ports.dashboard, fromApp: true });
    logger.info(`dashboard on ${d.url} (metrics on ${d.url}metrics)`);
    started.push(d);
  }
  if (ports.metrics !== undefined) {
    const m = await startDashboard(huey, { port: ports.metrics, metricsOnly: true });
    logger.info(`metrics on ${m.url}metrics`);
    started.push(m);
  }
  return started;
}
