// The web app's HTTP side (node:http, no framework): POST /reports with a
// JSON list of numbers enqueues sumReport; POST /welcome?to=... enqueues
// sendWelcome; GET /results/<id> answers 202 while the task runs, then 200
// with its value. Listens on PORT (0: any free port; it prints the port).
import { createServer } from 'node:http';
import { sumReport } from './features/reports/tasks.js';
import { sendWelcome } from './features/mail/tasks.js';
import { huey } from './huey.js';

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/reports') {
      const numbers = await readJson(req);
      if (!Array.isArray(numbers) || !numbers.every((n) => typeof n === 'number')) return json(res, 400, { error: 'send a JSON list of numbers' });
      const result = await sumReport(numbers);
      return json(res, 202, { id: result.id });
    }
    if (req.method === 'POST' && url.pathname === '/welcome') {
      const to = url.searchParams.get('to');
      if (!to) return json(res, 400, { error: 'to= is required' });
      return json(res, 202, { id: (await sendWelcome(to)).id });
    }
    const match = /^\/results\/([\w-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      // preserve: a client may ask again; the result stays until it expires from the store.
      const value = await huey.result(match[1], { preserve: true });
      return value === null ? json(res, 202, { id: match[1], status: 'pending' }) : json(res, 200, { id: match[1], value });
    }
    json(res, 404, { error: 'not found' });
  } catch (err) {
    json(res, 500, { error: err.message });
  }
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`web app listening on http://127.0.0.1:${server.address().port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(async () => {
    await huey.close();
    process.exit(0);
  }));
}
