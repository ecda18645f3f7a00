/**
 * The per-Huey task registry: a map from task names to the functions and
 * settings that run them. A queue message only names its task, so a consumer
 * can run a message only if the same name is registered in its process.
 */
import { QueueException } from './exceptions.js';
import { QueueTask } from './task.js';

/** A function run by the consumer. Arguments come from the queue message. */
export type TaskFunction = (...args: never[]) => unknown;

/** Tells whether a periodic task runs in the minute starting at `date`; `utc` asks to read the date in UTC. */
export type PeriodicValidator = (date: Date, options?: { utc?: boolean }) => boolean;

/** Everything the consumer needs to run a task by name. */
export interface TaskDefinition {
  name: string;
  fn: TaskFunction;
  retries: number;
  retryDelay: number;
  retriesAsArgument: boolean;
  includeTask: boolean;
  /** Set for periodic tasks: whether the task should run in the minute starting at `date` (see crontab()). */
  validate?: PeriodicValidator;
  /** Job controls (TaskOptions); absent when not used. */
  controls?: TaskControls;
}

/** A task's job controls, checked (see TaskOptions for each). */
export interface TaskControls {
  priority: number;
  retryBackoff: number;
  /** 0 for none, else the fraction of the delay the jitter spreads over (each way). */
  retryJitter: number;
  maxRetryDelay: number;
  timeout: number | null;
  expires: number | null;
  rateLimit: { limit: number; per: number } | null;
  unique: ((args: unknown[]) => string) | null;
}

/** Names to task definitions, for one Huey instance. */
export class TaskRegistry {
  private readonly tasks = new Map<string, TaskDefinition>();

  /** Adds a task; a name can be registered once. */
  register(def: TaskDefinition): void {
    if (this.tasks.has(def.name)) {
      throw new Error(`a task named "${def.name}" is already registered with this huey; give one of them another { name }`);
    }
    this.tasks.set(def.name, def);
  }

  /** Whether any registered task has a timeout (thread and process workers then report their tasks to the master). */
  hasTimeouts(): boolean {
    for (const def of this.tasks.values()) if (def.controls?.timeout) return true;
    return false;
  }

  /** Removes a task; returns whether it was registered. */
  unregister(name: string): boolean {
    return this.tasks.delete(name);
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  /** The definition for `name`, or undefined when it is not registered (one lookup for the consumer's check and its run). */
  find(name: string): TaskDefinition | undefined {
    return this.tasks.get(name);
  }

  /** The definition for `name`; throws QueueException when it is not registered. */
  get(name: string): TaskDefinition {
    const def = this.tasks.get(name);
    if (!def) throw new QueueException(`${name} not found in TaskRegistry`);
    return def;
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /** Periodic task definitions, in registration order. */
  periodic(): TaskDefinition[] {
    return [...this.tasks.values()].filter((d) => d.validate !== undefined);
  }

  /**
   * New instances of the periodic tasks whose validator accepts the minute
   * starting at `minuteStart`, in registration order: the one due-check
   * of periodic tasks (the scheduler's, and huey.readPeriodic()). A validator
   * that throws is passed to `onError` and counts as not due; without
   * `onError` the error propagates.
   */
  duePeriodic(minuteStart: Date, utc: boolean, onError?: (def: TaskDefinition, err: unknown) => void): QueueTask[] {
    const due: QueueTask[] = [];
    for (const def of this.tasks.values()) {
      if (def.validate === undefined) continue;
      let ok = false;
      try {
        ok = Boolean(def.validate(minuteStart, { utc }));
      } catch (err) {
        if (!onError) throw err;
        onError(def, err);
      }
      if (ok) due.push(new QueueTask({ name: def.name, retries: def.retries, retryDelay: def.retryDelay, priority: def.controls?.priority, timeout: def.controls?.timeout }));
    }
    return due;
  }
}

/** Calls a task's function with the task's arguments, plus retries / the task itself when the task asks for them. */
export function invokeTask(def: TaskDefinition, task: QueueTask): unknown {
  const args: unknown[] = [...task.args];
  if (def.retriesAsArgument) args.push(task.retries);
  if (def.includeTask) args.push(task);
  return (def.fn as (...a: unknown[]) => unknown)(...args);
}
