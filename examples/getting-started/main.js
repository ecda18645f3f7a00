// main.js: what the consumer loads ("main.py" in the seed). Importing both
// the config and the tasks makes sure every task is registered when the
// consumer starts:
//
//   huey-consumer examples/getting-started/main.js --simpledb
export { huey } from './config.js';
export { countBeans, add, flakyCount, printTime, fibonacci } from './tasks.js';
