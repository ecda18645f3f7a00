/**
 * The ChordCounters capability (storage.ts) for SqliteStorage: a chord's
 * finished members are rows of huey_chord, its expiry a row of
 * huey_chord_expiry; marking and counting are one write transaction.
 */
import type { SqliteConnection } from './sqlite-connection.js';
import type { ChordCounters } from './storage.js';

export class SqliteChordCounters implements ChordCounters {
  constructor(
    private readonly db: SqliteConnection,
    private readonly name: string,
  ) {}

  markChordMember(chord: string, member: string, ttlMs: number): Promise<{ added: boolean; count: number }> {
    return this.db.call('markChordMember', () =>
      // One write transaction: two consumers marking the last two members see counts of n-1 and n, never n twice.
      this.db.transaction(() => {
        const now = Date.now();
        this.db.stmt('dropExpiredChords').run(this.name, this.name, now);
        this.db.stmt('dropChordExpiries').run(this.name, now);
        const added = Number(this.db.stmt('markChordMember').run(this.name, chord, member).changes) > 0;
        this.db.stmt('expireChord').run(this.name, chord, now + ttlMs);
        return { added, count: Number((this.db.stmt('chordSize').get(this.name, chord) as { n: unknown }).n) };
      }),
    );
  }
}
