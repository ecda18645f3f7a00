/**
 * The package root: huey for TypeScript.
 *
 * - api.ts          Huey, the user's API: tasks, enqueue, results, revocation, hooks, locks,
 *                   listings, events, createConsumer (option types in options.ts), in layers:
 *                   huey-core.ts, huey-data.ts, huey-revocation.ts
 * - redis-huey.ts   RedisHuey / SimpleHuey (RedisStorage on our client), memory-huey.ts MemoryHuey,
 *                   sqlite-huey.ts SqliteHuey (one SQLite file, the driver loaded on use)
 * - wrapper.ts      TaskWrapper (what huey.task() returns); task.ts QueueTask and pipelines
 * - result.ts       TaskResult; registry.ts, hooks.ts, lock.ts, revocation.ts, events.ts, eager.ts
 * - message.ts      the versioned JSON message format; serializer.ts the value serializer
 * - storage/        the Storage contract (core + capabilities), MemoryStorage, RedisStorage, SqliteStorage (one module per capability)
 * - runtime.ts      HueyRuntime: the narrow view of a huey the consumer side runs tasks with
 * - consumer/       the Consumer; inside: Worker, Scheduler, the TaskExecutor, the shared
 *                   MessageFeed, retry, error records, and reliable mode's Membership and Recovery
 * - reliability.ts  reliable mode's settings and consumer ids (docs/reliability.md)
 * - crontab.ts      crontab(); mini.ts MiniHuey
 *
 * Only the user's API is exported here; consumer internals are imported from
 * their modules (the huey-consumer CLI and the tests do so).
 */
export { Huey } from './api.js';
export type {
  HueyOptions,
  TaskOptions,
  PeriodicTaskOptions,
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
export { SqliteHuey } from './sqlite-huey.js';
export type { SqliteHueyOptions } from './sqlite-huey.js';
export { QueueTask } from './task.js';
export type { Pipeline, QueueTaskInit, CallControls } from './task.js';
export type { TaskWrapper, ScheduleOptions, WrapperOwner } from './wrapper.js';
export { SCHEDULE_OPTION_KEYS } from './wrapper.js';
export { TASK_OPTION_KEYS } from './options.js';
export type { RateLimit } from './options.js';
export { TaskResult } from './result.js';
export { ResultGroup } from './group.js';
export { ChordResult } from './chord.js';
export type { GroupGetOptions } from './group.js';
export type { GetOptions, RescheduleOptions, ResultOwner } from './result.js';
export { TaskRegistry } from './registry.js';
export type { PreExecuteHook, PostExecuteHook, StartupHook, ShutdownHook } from './hooks.js';
export type { TaskDefinition, PeriodicValidator, TaskControls } from './registry.js';
export { TaskLock } from './lock.js';
export type { RevokeOptions } from './revocation.js';
export * from './exceptions.js';
export * from './event-names.js';
export type { TaskFields } from './events.js';
export { createConsoleLogger, silentLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { TaggedSerializer, defaultSerializer } from './serializer.js';
export type { ValueSerializer, CustomType, JsonValue } from './serializer.js';
export { MESSAGE_VERSION, encodeMessage, decodeMessage } from './message.js';
export type { Storage, ReliableDelivery, ReliableStorage, EventSubscription, WaitForDataOptions } from './storage/storage.js';
export type { PriorityQueues, RateLimitCounters, UniqueKeys, PausedTasks, ChordCounters, ControlCapabilities } from './storage/storage.js';
export { hasReliableDelivery, requireReliableDelivery, hasCapability, requireCapability } from './storage/storage.js';
export { MemoryStorage } from './storage/memory.js';
export type { MemoryStorageOptions } from './storage/memory.js';
export { SqliteStorage } from './storage/sqlite.js';
export type { SqliteStorageOptions } from './storage/sqlite.js';
export type { SqliteDriverName, SqliteDriverClass } from './storage/sqlite-driver.js';
export { RedisStorage, redisKeys } from './storage/redis.js';
export type { RedisStorageOptions } from './storage/redis.js';
export { Consumer, IN_PROCESS_WORKER_TYPES } from './consumer/consumer.js';
export { PoolConsumer } from './consumer/pool-consumer.js';
export type { ConsumerOptions } from './consumer/consumer.js';
export type { ReliabilitySettings, ReliabilityOptions } from './reliability.js';
export { loadConfig, findConfigFile, CONFIG_FILES } from './config.js';
export type { HueyConfig, ConsumerConfig, LoadedConfig } from './config.js';
export { crontab, nextMatches, CrontabError } from './crontab.js';
export type { CrontabSpec, CrontabOptions, CrontabValidator, CrontabCheckOptions, CrontabField, PeriodicTime } from './crontab.js';
export { MiniHuey, MiniResult } from './mini.js';
export type { MiniHueyOptions, MiniTaskOptions, MiniScheduleOptions, MiniTask } from './mini.js';
