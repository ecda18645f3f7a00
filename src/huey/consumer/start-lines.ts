/**
 * What a consumer logs when it starts (the seed's wording): its workers,
 * the scheduler's settings and the tasks it knows. The in-process Consumer
 * and the thread/process master log the same lines.
 */
import type { HueyRuntime } from '../runtime.js';

/** The settings the lines mention. */
export interface StartSettings {
  workers: number;
  workerType: string;
  schedulerInterval: number;
  periodic: boolean;
  utc: boolean;
}

/** The start lines, one log message each. */
export function startLines(rt: Pick<HueyRuntime, 'registry'>, s: StartSettings): string[] {
  return [
    `huey consumer started with ${s.workers} ${s.workerType} worker(s), PID ${process.pid}`,
    `scheduler runs every ${s.schedulerInterval} second(s); periodic tasks are ${s.periodic ? 'enabled' : 'disabled'}; UTC is ${s.utc ? 'enabled' : 'disabled'}`,
    `the following tasks are available:\n${rt.registry.names().map((n) => `+ ${n}`).join('\n')}`,
  ];
}
