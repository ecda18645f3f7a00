/** The ChordCounters capability (storage.ts) for MemoryStorage: the finished members of each chord. */
import type { ChordCounters } from './storage.js';

export class MemoryChordCounters implements ChordCounters {
  private readonly chords = new Map<string, Set<string>>();

  async markChordMember(chord: string, member: string): Promise<{ added: boolean; count: number }> {
    let done = this.chords.get(chord);
    if (!done) this.chords.set(chord, (done = new Set()));
    const added = !done.has(member);
    done.add(member);
    return { added, count: done.size };
  }

  clear(): void {
    this.chords.clear();
  }
}
