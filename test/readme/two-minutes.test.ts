// The README's "Huey in two minutes", run as written in a scratch app (an
// ES module app with huey-ts installed): once as TypeScript through tsx, once
// as plain ESM JavaScript (the same files compiled), each against the
// simpledb that `huey-consumer --simpledb` embeds. And without tsx, the
// consumer says what to install.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { Spawned, requireBuild } from '../cli/helpers.js';
import { freePort } from '../helpers/redis-server.js';
import { removeScratchApps, scratchApp } from '../helpers/npm-scratch-app.js';

const ROOT = join(import.meta.dirname, '../..');
const CONSUMER = join(ROOT, 'dist/bin/huey-consumer.js');

/** The README's `// app/<name>.ts` code blocks, by file name. */
function readmeSnippets(): Map<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Huey in two minutes'), readme.indexOf('## Running the consumer'));
  const files = new Map<string, string>();
  for (const m of section.matchAll(/```ts\n\/\/ app\/([\w-]+\.ts)\n([\s\S]*?)```/g)) files.set(m[1] as string, m[2] as string);
  return files;
}

const processes: Spawned[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.dispose()));
  removeScratchApps();
});

/** A process started in `cwd`, cleaned up after the test. */
function runIn(cwd: string, args: string[], env: Record<string, string> = {}): Spawned {
  const p = new Spawned(process.execPath, args, env, cwd);
  processes.push(p);
  return p;
}

/** Starts the consumer on `module` with --simpledb on a free port, runs the producer, and checks what it printed. */
async function consumeAndProduce(dir: string, module: string, producer: string[]) {
  const port = await freePort();
  const consumer = runIn(dir, [CONSUMER, module, '--simpledb', String(port)]);
  await consumer.waitFor('ready; stop with Ctrl+C', 1, 30_000);
  const prod = runIn(dir, producer, { HUEY_URL: `redis://127.0.0.1:${port}` });
  const { code } = await prod.waitExit(30_000); // exits by itself: huey.close()
  expect(prod.stderr).toBe('');
  expect(code).toBe(0);
  expect(prod.stdout).toBe('3\n10\n');
  consumer.signal('SIGINT');
  expect((await consumer.waitExit()).code).toBe(0);
}

describe('README: Huey in two minutes', () => {
  it('has the two files', () => {
    expect([...readmeSnippets().keys()].sort()).toEqual(['producer.ts', 'tasks.ts']);
  });

  it('runs as TypeScript through tsx', async () => {
    requireBuild();
    const dir = scratchApp(true);
    for (const [name, text] of readmeSnippets()) writeFileSync(join(dir, 'app', name), text);
    await consumeAndProduce(dir, 'app/tasks.ts', ['--import', 'tsx', 'app/producer.ts']);
  });

  it('runs as plain ESM JavaScript (the same files compiled)', async () => {
    requireBuild();
    const dir = scratchApp(false);
    for (const [name, text] of readmeSnippets()) {
      const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      writeFileSync(join(dir, 'app', name.replace(/\.ts$/, '.js')), js);
    }
    await consumeAndProduce(dir, 'app/tasks.js', ['app/producer.js']);
  });

  it('without tsx, huey-consumer app/tasks.ts says what to install or run', async () => {
    requireBuild();
    const dir = scratchApp(false);
    for (const [name, text] of readmeSnippets()) writeFileSync(join(dir, 'app', name), text);
    const p = runIn(dir, [CONSUMER, 'app/tasks.ts', '--simpledb', String(await freePort())]);
    const { code } = await p.waitExit();
    expect(code).toBe(2);
    expect(p.stderr).toContain('it is TypeScript, which Node cannot run by itself. Install tsx in your app (npm install --save-dev tsx)');
    expect(p.stderr).toContain('node --import tsx ./node_modules/.bin/huey-consumer app/tasks.ts');
  });
});
