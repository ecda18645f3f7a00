// The `huey` command against simpledb (started here on a free port).
import { afterAll, beforeAll, describe } from 'vitest';
import type { Server } from '../../src/server/index.js';
import { requireBuild, simpledb } from './helpers.js';
import { hueyAdminSuite } from './huey-admin.case.js';

describe('huey command on simpledb', { timeout: 60_000 }, () => {
  let server: Server;
  beforeAll(async () => {
    requireBuild();
    server = await simpledb();
  });
  afterAll(async () => {
    await server.close();
  });
  hueyAdminSuite(() => server.port);
});
