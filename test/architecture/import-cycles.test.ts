// Dependencies point one way (docs/architecture.md): a new import cycle in src/
// fails the suite. Type-only imports count, since they couple modules the same way.
// The one allowed back-reference is the server's and its client object's: a
// connection needs its server, and the server keeps its connections.
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const ALLOWED = new Set(['server/client.ts <-> server/server.ts']);

const key = (cycle: string[]) => [...cycle].sort().join(' <-> ');

describe('src/', () => {
  it('has no import cycles, type-only imports included', async () => {
    const graph = await madge(SRC, {
      fileExtensions: ['ts'],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(50);
    const cycles = graph.circular().filter((cycle) => !(cycle.length === 2 && ALLOWED.has(key(cycle))));
    expect(cycles.map((cycle) => cycle.join(' > '))).toEqual([]);
  });
});
