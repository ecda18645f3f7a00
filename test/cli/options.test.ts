// huey-consumer's bad input: option values and unusable task modules are
// refused with a clear one-line error and exit code 2 before anything starts.
import { beforeAll, describe, expect, it } from 'vitest';
import { APP, appEnv, requireBuild, runCli, simpledb, uniqueName } from './helpers.js';

beforeAll(requireBuild);

/** Nothing started: no banner, no workers. */
function expectNothingStarted(output: string): void {
  expect(output).not.toContain('HUEY CONSUMER');
  expect(output).not.toContain('simpledb (embedded) listening');
}

describe('option values', () => {
  it.each([
    [['-w', '0'], /workers must be a whole number of at least 1/],
    [['-w', '1.5'], /workers must be a whole number/],
    [['--workers', 'lots'], /workers must be a whole number/],
    [['-b', '1'], /backoff must be a number greater than 1/],
    [['-b', '0.5'], /backoff must be a number greater than 1/],
    [['-s', '0'], /scheduler interval must be a whole number of seconds from 1 to 60/],
    [['-s', '61'], /scheduler interval must be a whole number of seconds from 1 to 60/],
    [['-d', '0'], /delay must be a positive number of seconds/],
    [['-m', '-1'], /max-delay must be a positive number of seconds/],
    [['-c', 'x'], /health-check-interval must be a positive number of seconds/],
    [['-k', 'fiber'], /Allowed choices are async, greenlet, thread, process/],
    [['-u', '-o'], /cannot be used with/],
    [['-q', '-v'], /cannot be used with/],
    [['--simpledb', '70000'], /port must be a whole number from 1 to 65535 \(to use the default port, put --simpledb after/],
    [['--dashboard', 'app.js'], /port must be a whole number from 1 to 65535 \(to use the default port, put --dashboard after/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('%j is refused', async (args, message) => {
    // The simpledb flag is there to show that nothing was started despite it.
    const { code, stdout, stderr } = await runCli([APP, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expectNothingStarted(stdout + stderr);
  });

  it('a module path is required (without a huey.config.js that names one)', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no task module given: name one \(or a folder, or a glob\), or set "module"\/"tasks" in huey.config.js/);
  });

  it('--help lists every option and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const flag of ['-l, --logfile', '-v, --verbose', '-q, --quiet', '-w, --workers', '-k, --worker-type', '-n, --no-periodic',
      '-d, --delay', '-m, --max-delay', '-b, --backoff', '-c, --health-check-interval', '-C, --disable-health-check',
      '-s, --scheduler-interval', '-u, --utc', '-o, --localtime', '--simpledb [port]']) {
      expect(stdout).toContain(flag);
    }
    // Help lines wrap at the terminal's width.
    expect(stdout.replace(/\s+/g, ' ')).toContain('sets HUEY_URL for the module when unset');
  });

  it('a log file that cannot be opened is refused', async () => {
    const { code, stderr } = await runCli([APP, '-l', '/nonexistent-dir/huey.log', '--simpledb', '1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot open log file "\/nonexistent-dir\/huey.log"/);
    expectNothingStarted(stderr);
  });
});

describe('--simpledb', () => {
  it('a port that is taken is refused before the module is loaded', async () => {
    const taken = await simpledb();
    try {
      const { code, stderr } = await runCli([APP, '--simpledb', String(taken.port)]);
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`cannot start simpledb on 127\\.0\\.0\\.1:${taken.port}: .*EADDRINUSE`));
      expect(stderr).not.toContain('HUEY CONSUMER');
    } finally {
      await taken.close();
    }
  });
});

describe('task modules', () => {
  it('a missing module: one line naming the path, exit 2', async () => {
    const { code, stderr } = await runCli(['no/such/module.js']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^huey-consumer: cannot find module "no\/such\/module.js"/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a module that throws on import: the error, exit 2, no stack trace', async () => {
    const { code, stderr } = await runCli(['test/cli/fixtures/throws.js']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('huey-consumer: error importing "test/cli/fixtures/throws.js": config is broken on purpose');
  });

  it('a module the worker threads cannot load: the consumer stops with the reason, exit 2 (no endless restarts)', async () => {
    const server = await simpledb();
    try {
      const { code, stderr } = await runCli(['test/cli/fixtures/thread-hostile.js', '-k', 'thread', '-w', '2'], appEnv(server.port, uniqueName('hostile')));
      expect(code).toBe(2);
      expect(stderr).toMatch(/huey-consumer: worker \d could not start: error importing "test\/cli\/fixtures\/thread-hostile.js": this module refuses to load in a worker thread/);
      expect(stderr).not.toContain('health check: restarted');
    } finally {
      await server.close();
    }
  });

  it('with -v the stack trace follows', async () => {
    const { code, stderr } = await runCli(['test/cli/fixtures/throws.js', '-v']);
    expect(code).toBe(2);
    expect(stderr).toContain('config is broken on purpose');
    expect(stderr).toMatch(/\n\s+at .*throws\.js/);
  });

  it('a module without the export names the export and what it has', async () => {
    const { code, stderr } = await runCli(['test/cli/fixtures/no-huey.js']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'huey-consumer: module "test/cli/fixtures/no-huey.js" has no export named "huey" (it exports: app, other)',
    );
  });

  it('path:export picks another export, which must be a Huey', async () => {
    const { code, stderr } = await runCli(['test/cli/fixtures/no-huey.js:app']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('huey-consumer: export "app" of "test/cli/fixtures/no-huey.js" is not a Huey instance (it is string)');
  });

  it('an export that is not a Huey', async () => {
    const { code, stderr } = await runCli(['test/cli/fixtures/not-huey.js']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/export "huey" of "test\/cli\/fixtures\/not-huey.js" is not a Huey instance/);
  });

  it('a TypeScript module is loaded through the tsx installed for it; a .js path with only a .ts beside it is pointed there', async () => {
    const direct = await runCli(['test/cli/fixtures/typed.ts']);
    expect(direct.code).toBe(2);
    // Loaded (this checkout has tsx): what stops it is the fixture's export, not its language.
    expect(direct.stderr).toMatch(/export "huey" of "test\/cli\/fixtures\/typed.ts" is not a Huey instance \(it is null\)/);
    const js = await runCli(['test/cli/fixtures/typed.js']);
    expect(js.code).toBe(2);
    expect(js.stderr).toMatch(/there is only .*typed\.ts; pass that file \(TypeScript runs with tsx\)/);
  });

  it('a huey with in-memory storage cannot feed thread or process workers', async () => {
    const { code, stderr } = await runCli(['test/cli/fixtures/memory.js', '-k', 'process']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/keeps its queue in memory; process workers each have their own memory/);
  });
});
