// config.js: the huey instance, as in the seed's Getting Started ("config.py").
// It talks to simpledb (or Redis) at HUEY_URL; the default is the port that
// `huey-consumer main.js --simpledb` starts simpledb on.
import { SimpleHuey } from 'huey-ts';

export const huey = new SimpleHuey('getting-started', {
  url: process.env.HUEY_URL ?? 'redis://127.0.0.1:31337',
});
