/**
 * The Prometheus text exposition (version 0.0.4) of a huey: queue gauges
 * read at scrape time, and counters and the duration histogram from the
 * totals every consumer adds to in the storage, so any process that serves
 * /metrics reports the whole cluster, not its own view.
 */
import type { Huey } from '../huey/api.js';
import { DURATION_BUCKETS } from '../huey/stats-layout.js';
import { consumers, inFlight } from './inspect.js';
import { readTotals } from './history.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export async function metricsText(huey: Huey<boolean>): Promise<string> {
  const s = huey.storage;
  const [pending, scheduled, flight, rows, totals] = await Promise.all([s.queueSize(), s.scheduleSize(), inFlight(huey), consumers(huey), readTotals(huey)]);
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  gauge('huey_queue_pending', 'Tasks waiting in the queue.', pending);
  gauge('huey_queue_scheduled', 'Tasks waiting for their time (scheduled, delayed, retrying later).', scheduled);
  gauge('huey_queue_inflight', 'Tasks being run by consumers.', flight.length);
  gauge('huey_consumers', 'Consumers alive (their record has not expired).', rows.filter((c) => c.alive).length);
  const tasks = [...totals.keys()].sort();
  const counter = (name: string, help: string, key: 'finished' | 'failed' | 'retried') => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const t of tasks) lines.push(`${name}{task="${label(t)}"} ${totals.get(t)?.[key] ?? 0}`);
  };
  counter('huey_tasks_finished_total', 'Task runs that finished, across all consumers.', 'finished');
  counter('huey_tasks_failed_total', 'Task runs that failed (each failed attempt), across all consumers.', 'failed');
  counter('huey_tasks_retried_total', 'Failed task runs that were retried, across all consumers.', 'retried');
  lines.push('# HELP huey_task_duration_seconds How long task runs took.', '# TYPE huey_task_duration_seconds histogram');
  for (const t of tasks) {
    const tot = totals.get(t);
    if (!tot) continue;
    const l = label(t);
    let cumulative = 0;
    DURATION_BUCKETS.forEach((le, i) => {
      cumulative += tot.durations[i] ?? 0;
      lines.push(`huey_task_duration_seconds_bucket{task="${l}",le="${le}"} ${cumulative}`);
    });
    cumulative += tot.durations[DURATION_BUCKETS.length] ?? 0;
    lines.push(`huey_task_duration_seconds_bucket{task="${l}",le="+Inf"} ${cumulative}`);
    lines.push(`huey_task_duration_seconds_sum{task="${l}"} ${tot.durationSum}`);
    lines.push(`huey_task_duration_seconds_count{task="${l}"} ${cumulative}`);
  }
  return `${lines.join('\n')}\n`;
}
