// INFO persistence, with Redis 7.0's fields in its order. Fork and
// copy-on-write fields are 0: simpledb's background jobs run in-process.

import type { Persistence } from './index.js';

/** The section's fields; `dirty` is the server's count of writes since the last save. */
export function persistenceInfo(p: Persistence, dirty: number): [string, string | number][] {
  const now = Date.now();
  const job = p.jobKind;
  const running = (kind: string) => (job === kind ? Math.round((now - p.jobStartedAt) / 1000) : -1);
  const aof = p.aof;
  const fields: [string, string | number][] = [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', dirty],
    ['rdb_bgsave_in_progress', job === 'save' ? 1 : 0],
    ['rdb_last_save_time', p.lastSave],
    ['rdb_last_bgsave_status', p.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', p.lastBgsaveSeconds],
    ['rdb_current_bgsave_time_sec', running('save')],
    ['rdb_saves', p.rdbSaves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', p.keysExpiredAtLoad],
    ['rdb_last_load_keys_loaded', p.keysLoaded],
    ['aof_enabled', p.settings.appendonly ? 1 : 0],
    ['aof_rewrite_in_progress', job === 'rewrite' ? 1 : 0],
    ['aof_rewrite_scheduled', p.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', p.lastRewriteSeconds],
    ['aof_current_rewrite_time_sec', running('rewrite')],
    ['aof_last_bgrewrite_status', p.lastRewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', p.aofRewrites],
    ['aof_rewrites_consecutive_failures', p.rewriteFailuresInARow],
    ['aof_last_write_status', aof.lastWriteOk ? 'ok' : 'err'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (p.settings.appendonly) {
    fields.push(
      ['aof_current_size', aof.size],
      ['aof_base_size', aof.baseSize],
      ['aof_pending_rewrite', p.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', aof.bufferLength],
      ['aof_pending_bio_fsync', aof.fsyncPending ? 1 : 0],
      ['aof_delayed_fsync', 0],
    );
  }
  return fields;
}
