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

/**
 * Exits with a clear message when nothing answers at the huey's address: the
 * client rejects a command once it has had no connection for its
 * connectTimeout (5 s by default), naming the address and the reason.
 */
async function enqueue(beans) {
  try {
    return await countBeans(beans);
  } catch (err) {
    const { host, port, db } = huey.storage.client.options;
    console.error(`Cannot reach redis://${host}:${port}/${db}: is the consumer (with --simpledb) or a server running? (${err.message})`);
    process.exit(1);
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

const res = await enqueue(beans);
console.log(`Enqueued job to count ${beans} beans (task ${res.id})`);
try {
  const value = await res.get({ blocking: true, timeout: 10 });
  console.log(`Result: ${value}`);
} catch (err) {
  console.error(`No result within 10 seconds (is the consumer running?): ${err.message}`);
  process.exitCode = 1;
}
await huey.close();
