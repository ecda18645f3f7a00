// The `huey` command against simpledb (started here on a free port).
import { describe } from 'vitest';
import { useCliServer } from '../helpers/cli-server.js';
import { hueyAdminSuite } from './huey-admin.case.js';

describe('huey command on simpledb', { timeout: 60_000 }, () => {
  const server = useCliServer();
  hueyAdminSuite(() => server.port);
});
