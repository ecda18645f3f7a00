/**
 * The package root: huey for TypeScript.
 *
 * - api.ts          Huey: tasks, enqueue, execute, results, revocation, hooks, locks, events
 * - redis-huey.ts   RedisHuey / SimpleHuey (RedisStorage on our client), memory-huey.ts MemoryHuey
 * - wrapper.ts      TaskWrapper (what huey.task() returns); task.ts QueueTask and pipelines
 * - result.ts       TaskResult; registry.ts, hooks.ts, lock.ts, revocation.ts, events.ts, eager.ts
 * - message.ts      the versioned JSON message format; serializer.ts the value serializer
 * - storage/        the Storage contract, MemoryStorage, RedisStorage
 * - consumer/       Worker, Scheduler, the shared MessageFeed, the in-process Consumer,
 *                   and reliable mode's Membership (heartbeats) and Recovery
 * - reliability.ts  reliable mode's settings and consumer ids (docs/reliability.md)
 * - crontab.ts      crontab(); mini.ts MiniHuey
 */
export { Huey } from './api.js';
export type {
  HueyOptions,
  TaskOptions,
  PeriodicTaskOptions,
  ExecuteOptions,
  ExecutionOutcome,
  EventStream,
  ResultFor,
  ResultListFor,
  TaskInstanceRef,
  TaskArgs,
  TaskReturn,
} from './api.js';
export { RedisHuey, SimpleHuey } from './redis-huey.js';
export type { RedisHueyOptions } from './redis-huey.js';
export { MemoryHuey } from './memory-huey.js';
export { QueueTask } from './task.js';
export type { Pipeline, QueueTaskInit } from './task.js';
export type { TaskWrapper, ScheduleOptions } from './wrapper.js';
export { TaskResult } from './result.js';
export type { GetOptions, RescheduleOptions } from './result.js';
export { TaskRegistry } from './registry.js';
export type { PreExecuteHook, PostExecuteHook, StartupHook } from './hooks.js';
export type { TaskDefinition, PeriodicValidator } from './registry.js';
export { TaskLock } from './lock.js';
export type { RevokeOptions } from './revocation.js';
export * from './exceptions.js';
export * from './events.js';
export { createConsoleLogger, silentLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { TaggedSerializer, defaultSerializer } from './serializer.js';
export type { ValueSerializer, CustomType, JsonValue } from './serializer.js';
export { MESSAGE_VERSION, encodeMessage, decodeMessage } from './message.js';
export type { Storage, EventSubscription, WaitForDataOptions } from './storage/storage.js';
export { MemoryStorage } from './storage/memory.js';
export type { MemoryStorageOptions } from './storage/memory.js';
export { RedisStorage, redisKeys } from './storage/redis.js';
export type { RedisStorageOptions } from './storage/redis.js';
export { Consumer, IN_PROCESS_WORKER_TYPES } from './consumer/consumer.js';
export type { ConsumerOptions } from './consumer/consumer.js';
export { Worker } from './consumer/worker.js';
export type { WorkerOptions, MessageSource } from './consumer/worker.js';
export { Scheduler } from './consumer/scheduler.js';
export type { SchedulerOptions } from './consumer/scheduler.js';
export { MessageFeed } from './consumer/feed.js';
export type { MessageFeedOptions } from './consumer/feed.js';
export { Membership } from './consumer/membership.js';
export { Recovery } from './consumer/recovery.js';
export { reliabilitySettings, newConsumerId } from './reliability.js';
export type { ReliabilitySettings, ReliabilityOptions } from './reliability.js';
export { crontab, nextMatches, CrontabError } from './crontab.js';
export type { CrontabSpec, CrontabOptions, CrontabValidator, CrontabCheckOptions, CrontabField } from './crontab.js';
export { MiniHuey, MiniResult } from './mini.js';
export type { MiniHueyOptions, MiniTaskOptions, MiniScheduleOptions, MiniTask } from './mini.js';
