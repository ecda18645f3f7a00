// producer.js: the second terminal of the walkthrough (the seed's "python main.py").
// With the consumer running (huey-consumer examples/getting-started/main.js --simpledb):
//
//   node examples/getting-started/producer.js        asks how many beans
//   node examples/getting-started/producer.js 200    counts 200 beans
//
// It enqueues count_beans, then waits for the consumer's result. It talks to
// HUEY_URL (see config.js), so with a consumer started with --simpledb 40123:
//
//   HUEY_URL=redis://127.0.0.1:40123 node examples/getting-started/producer.js 200
import { createInterface } from 'node:readline/promises';
import { huey, countBeans } from './main.js';

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Exits with a clear message when nothing answers at the huey's address.
 * The client connects in the background and, while it cannot, keeps the
 * commands it is given and retries forever (right for a long-running app
 * that must ride out a server restart), so an enqueue would otherwise wait
 * silently for a server that is not there.
 */
async function requireServer() {
  const { client } = huey.storage;
  const { host, port, db } = client.options;
  const where = `redis://${host}:${port}/${db}`;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000}s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    // Resolves once connected; rejects when the next connection attempt fails.
    await Promise.race([client.connect(), timeout]);
  } catch (err) {
    console.error(`Cannot reach ${where}: is the consumer (with --simpledb) or a server running? (${err.message})`);
    // Not huey.close(): it would wait for the connection attempt under way.
    process.exit(1);
  } finally {
    clearTimeout(timer);
  }
}

async function askBeans() {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question('How many beans? ');
  } finally {
    rl.close();
  }
}

const answer = process.argv[2] ?? (await askBeans());
const beans = Number.parseInt(answer, 10);
if (!Number.isInteger(beans)) {
  console.error(`"${answer}" is not a number of beans`);
  process.exit(2);
}

await requireServer();
const res = await countBeans(beans);
console.log(`Enqueued job to count ${beans} beans (task ${res.id})`);
try {
  const value = await res.get({ blocking: true, timeout: 10 });
  console.log(`Result: ${value}`);
} catch (err) {
  console.error(`No result within 10 seconds (is the consumer running?): ${err.message}`);
  process.exitCode = 1;
}
await huey.close();
