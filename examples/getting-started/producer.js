// producer.js: the second terminal of the walkthrough (the seed's "python main.py").
// With the consumer running (huey-consumer examples/getting-started/main.js --simpledb):
//
//   node examples/getting-started/producer.js        asks how many beans
//   node examples/getting-started/producer.js 200    counts 200 beans
//
// It enqueues count_beans, then waits for the consumer's result.
import { createInterface } from 'node:readline/promises';
import { huey, countBeans } from './main.js';

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
