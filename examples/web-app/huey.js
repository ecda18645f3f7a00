// The web app's one huey, shared by the HTTP server (which enqueues) and the
// feature tasks (which the consumer runs). Its address is HUEY_URL, else the
// config's `url` (simpledb's default port).
import { SimpleHuey, loadConfig } from 'huey-ts';

const config = await loadConfig();

export const huey = new SimpleHuey('web-app', { url: process.env.HUEY_URL ?? config.url, ...config.huey });
