#!/usr/bin/env node
// huey-consumer CLI: parse options (commander), fill in the rest from
// huey.config.js, optionally start an embedded simpledb, find the task
// modules, then hand over to src/huey/consumer/cli. Usage errors, a bad
// config and unusable task modules exit with code 2 before anything runs.
import { Command, Option } from 'commander';
import {
  DEFAULT_SIMPLEDB_PORT,
  WORKER_TYPES,
  parseBackoff,
  portParser,
  parseSchedulerInterval,
  parseSeconds,
  parseWorkers,
  settingsFrom,
  type ConsumerFlags,
} from '../src/huey/consumer/cli/options.js';
import { existsSync } from 'node:fs';
import { LoadError, parseModuleSpec, resolveModuleFile, type ModuleSpec } from '../src/huey/consumer/cli/load.js';
import { applyConfig, configModule, consumerTargets } from '../src/huey/consumer/cli/config.js';
import { discover } from '../src/huey/consumer/cli/discover.js';
import { loadConfig, type LoadedConfig } from '../src/huey/config.js';
import { createCliLogger, type CliLogger } from '../src/huey/consumer/cli/log.js';
import { runConsumer } from '../src/huey/consumer/cli/run.js';
import { packageVersion } from '../src/shared/package-version.js';
import { startServer, type Server } from '../src/server/index.js';
import { DEFAULT_DASHBOARD_PORT, DEFAULT_METRICS_PORT, startConsumerServers } from '../src/admin/consumer-servers.js';

const EXIT_USAGE = 2;

const program = new Command('huey-consumer')
  .description('Runs the tasks of a huey: imports <module> and consumes the queue of the Huey it exports.')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .argument(
    '[modules...]',
    'JavaScript module(s), optionally :export (default export name "huey"), e.g. app/main.js:huey; a folder stands for every tasks.js under it, and a glob ("src/**/tasks.js") for the files it matches. Default: "module" and "tasks" of huey.config.js',
  )
  .option('--config <file>', 'read settings from this file instead of huey.config.js/.mjs/.json in the current folder (also HUEY_CONFIG)')
  .option('-l, --logfile <path>', 'also append the log to this file (the console keeps it too, as in Huey)')
  .option('-v, --verbose', 'verbose logging (DEBUG), and stack traces for startup errors')
  .addOption(new Option('-q, --quiet', 'log errors only').conflicts('verbose'))
  .addOption(
    new Option('-w, --workers <n>', 'number of workers (concurrent tasks for async; threads or processes otherwise)')
      .argParser(parseWorkers)
      .env('HUEY_WORKERS')
      .default(1),
  )
  .addOption(
    new Option('-k, --worker-type <type>', 'async (IO-bound; greenlet is an alias), thread or process (CPU-bound)')
      .choices(WORKER_TYPES)
      .default('async'),
  )
  .option('-f, --flush-locks', 'remove the locks of this huey (lockTask) left behind by a consumer that died, before starting')
  .option('-n, --no-periodic', 'do not enqueue periodic (crontab) tasks')
  .option('-d, --delay <seconds>', 'polling storages only: first wait after an empty queue', parseSeconds('delay'), 0.1)
  .option('-m, --max-delay <seconds>', 'polling storages only: longest wait between polls', parseSeconds('max-delay'), 10)
  .option('-b, --backoff <factor>', 'polling storages only: wait growth after each empty poll (greater than 1)', parseBackoff, 1.15)
  .option('-c, --health-check-interval <seconds>', 'how often to check the workers and restart dead ones', parseSeconds('health-check-interval'), 1)
  .option('-C, --disable-health-check', 'do not restart workers that die')
  .option('-s, --scheduler-interval <seconds>', 'how often to enqueue due scheduled tasks, 1 to 60', parseSchedulerInterval, 1)
  .addOption(new Option('-u, --utc', 'read crontabs in UTC (the default)').conflicts('localtime'))
  .addOption(new Option('-o, --localtime', 'read crontabs in local time').conflicts('utc'))
  .addOption(
    new Option(
      '--simpledb [port]',
      `run simpledb in this process on 127.0.0.1:port (default ${DEFAULT_SIMPLEDB_PORT}), so nothing else has to be started; sets HUEY_URL for the module when unset`,
    )
      .preset(String(DEFAULT_SIMPLEDB_PORT))
      .argParser(portParser('--simpledb')),
  )
  .addOption(new Option('--dashboard [port]', `serve the dashboard and /metrics on 127.0.0.1:port (default ${DEFAULT_DASHBOARD_PORT})`).preset(String(DEFAULT_DASHBOARD_PORT)).argParser(portParser('--dashboard')))
  .addOption(new Option('--metrics [port]', `serve Prometheus /metrics on 127.0.0.1:port (default ${DEFAULT_METRICS_PORT})`).preset(String(DEFAULT_METRICS_PORT)).argParser(portParser('--metrics')))
  .addHelpText(
    'after',
    `
Examples:
  huey-consumer examples/getting-started/main.js --simpledb
  huey-consumer app/main.js:huey -w 4 -k process
  huey-consumer src                     (every tasks.js under src/)
  huey-consumer                         (what huey.config.js says)
  huey-consumer app/main.js -w 100 -k async -C -s 60 -l huey.log

Signals: SIGINT finishes running tasks, then exits; SIGTERM exits at once; SIGHUP restarts the workers.`,
  )
  .showHelpAfterError('(run huey-consumer --help for usage)')
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  });

program.parse();

// The config fills in what the command line and the environment did not say.
let config: LoadedConfig;
let flags: ConsumerFlags;
try {
  config = await loadConfig({ file: program.opts<{ config?: string }>().config });
  flags = applyConfig(program.opts<ConsumerFlags>(), (key) => program.getOptionValueSource(key), config);
} catch (err) {
  process.stderr.write(`huey-consumer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

const settings = settingsFrom(flags);
const targets = consumerTargets(config, program.args);
if (targets.length === 0) {
  process.stderr.write('huey-consumer: no task module given: name one (or a folder, or a glob), or set "module"/"tasks" in huey.config.js\n');
  process.exit(2);
}
// One plain module is checked before anything starts; folders and globs are expanded once the environment is set.
const single = targets.length === 1 ? parseModuleSpec(targets[0] as string) : null;

function fail(message: string, cause?: unknown): never {
  process.stderr.write(`huey-consumer: ${message}\n`);
  if (settings.verbose && cause instanceof Error && cause.stack) process.stderr.write(`${cause.stack}\n`);
  process.exit(EXIT_USAGE);
}

let logger: CliLogger;
try {
  logger = createCliLogger({ level: settings.logLevel, logfile: settings.logfile, name: settings.kind === 'async' ? 'MainThread' : 'Master' });
} catch (err) {
  fail(`cannot open log file "${settings.logfile}": ${err instanceof Error ? err.message : String(err)}`, err);
}

// Check the module path before starting anything (the import itself happens in runConsumer).
if (single && !/[*?[\]{}]/.test(single.path)) {
  try {
    resolveModuleFile(single.path);
  } catch (err) {
    if (!(err instanceof LoadError && /cannot find module/.test(err.message) && existsSync(single.path))) fail(err instanceof Error ? err.message : String(err), err);
  }
}

let server: Server | null = null;
if (settings.simpledbPort !== null) {
  try {
    server = await startServer({ host: '127.0.0.1', port: settings.simpledbPort });
  } catch (err) {
    fail(`cannot start simpledb on 127.0.0.1:${settings.simpledbPort}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  logger.info(`simpledb (embedded) listening on 127.0.0.1:${server.port}`);
  // A module that reads its address from HUEY_URL (as the examples do) then finds this
  // server whatever the port; one that does not is warned about in the banner.
  // Thread and process workers inherit the environment.
  if (!process.env.HUEY_URL) process.env.HUEY_URL = `redis://127.0.0.1:${server.port}`;
}
if (config.url && !process.env.HUEY_URL) process.env.HUEY_URL = config.url;
if (config.file) {
  logger.info(`settings from ${config.file}`);
  // The app's loadConfig() (in this process and in worker threads and processes) reads the same file.
  process.env.HUEY_CONFIG = config.file;
}

let spec: ModuleSpec;
try {
  spec = await discover(targets, process.cwd(), configModule(config));
} catch (err) {
  if (!(err instanceof LoadError)) throw err;
  await server?.close();
  logger.close();
  fail(err.message, err.cause ?? err);
}

async function exit(code: number, graceful: boolean): Promise<void> {
  if (graceful && server) {
    await server.close().catch(() => undefined);
    logger.info('simpledb (embedded) stopped');
  }
  logger.info(`consumer exiting (code ${code})`);
  logger.close();
  process.exit(code);
}

try {
  const { huey } = await runConsumer(spec, settings, logger, exit);
  const { dashboard, metrics } = program.opts<{ dashboard?: number; metrics?: number }>();
  await startConsumerServers(huey, { ...(dashboard === undefined ? {} : { dashboard }), ...(metrics === undefined ? {} : { metrics }) }, logger).catch((err: unknown) => {
    logger.error(`cannot serve the dashboard/metrics: ${err instanceof Error ? err.message : String(err)}`);
  });
} catch (err) {
  if (err instanceof LoadError) {
    logger.close();
    fail(err.message, err.cause ?? err);
  }
  throw err;
}
