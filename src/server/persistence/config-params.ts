// CONFIG GET/SET parameters for persistence, with Redis 7's names, value
// syntax and error texts. dir and dbfilename are "protected" in Redis 7
// (CONFIG SET refuses them unless enable-protected-configs is set, which
// simpledb does not have); appendfilename is immutable.

import type { ConfigTable } from '../config.js';
import {
  formatSaveRules,
  parseFsyncPolicy,
  parseMemory,
  parseSaveRules,
  type FsyncPolicy,
  type PersistenceSettings,
  type SaveRule,
} from './settings.js';

/** What CONFIG SET changes (Persistence): the settings, and the ones that take effect at once. */
export interface ConfigurablePersistence {
  readonly settings: PersistenceSettings;
  setSaveRules(rules: SaveRule[]): void;
  setAppendonly(on: boolean): void;
  setAppendfsync(policy: FsyncPolicy): void;
}

export function registerPersistenceConfig(t: ConfigTable, p: ConfigurablePersistence): void {
  const s = p.settings;
  const protectedParam = (name: string, get: () => string) =>
    t.register({
      name,
      get,
      set: () => {
        throw new Error("can't set protected config");
      },
    });
  t.string('save', () => formatSaveRules(s.save), (v) => p.setSaveRules(parseSaveRules(v)));
  t.bool('appendonly', () => s.appendonly, (on) => p.setAppendonly(on));
  t.string('appendfsync', () => s.appendfsync, (v) => p.setAppendfsync(parseFsyncPolicy(v)));
  protectedParam('dir', () => s.dir);
  protectedParam('dbfilename', () => s.dbfilename);
  t.string('appendfilename', () => s.appendfilename);
  t.integer('auto-aof-rewrite-percentage', () => s.autoAofRewritePercentage, (n) => (s.autoAofRewritePercentage = n), 0, 2147483647);
  t.string('auto-aof-rewrite-min-size', () => String(s.autoAofRewriteMinSize), (v) => (s.autoAofRewriteMinSize = parseMemory(v)));
  t.bool('aof-load-truncated', () => s.aofLoadTruncated, (b) => (s.aofLoadTruncated = b));
  t.integer('rdb-key-save-delay', () => s.keySaveDelayUs, (n) => (s.keySaveDelayUs = n), 0, 2147483647);
  // Reported for tools; simpledb always checksums its snapshots and has no RDB preamble in its AOF.
  t.constant('rdbchecksum', 'yes');
  t.constant('aof-use-rdb-preamble', 'no');
}
