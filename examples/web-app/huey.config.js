// The web app's huey settings, in one place: huey-consumer reads the task
// folders and its options from here; huey.js reads `url` and `huey`.
// `npm test`-style runs (NODE_ENV=test) make the huey eager: tasks run at the call.
export default {
  tasks: 'features',
  url: 'redis://127.0.0.1:31337',
  huey: { alwaysEager: process.env.NODE_ENV === 'test' },
  consumer: { workers: 4, workerType: 'async' },
};
