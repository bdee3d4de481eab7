import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Starts the real app (app-only Graph mode, SQLite) in a fresh Node process and lists
 * which of the given packages it has loaded, before and after a `reset` prompt.
 */
const CHILD = `
const { startEmulator } = require('./dist/src/emulator/server');
const { startApp } = require('./dist/src/app');
const { loadConfig } = require('./dist/src/config');
const { silentLogger } = require('./dist/src/logger');
const loaded = (name) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + name + '/'));
(async () => {
  const emulator = await startEmulator({ port: 0 });
  const config = loadConfig({ PORT: process.argv[2], HOST: '127.0.0.1', GRAPH_BASE_URL: emulator.url, DATA_DIR: process.argv[1], STORAGE: 'sqlite' });
  const app = await startApp(config, { logger: silentLogger });
  const atStart = { dialogs: loaded('botbuilder-dialogs'), recognizers: loaded('@microsoft/recognizers-text-number') };
  await app.close();
  await emulator.close();
  process.stdout.write(JSON.stringify(atStart));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('bot: app-only mode keeps botbuilder-dialogs out of memory until a prompt needs it', () => {
  it('a started app has not loaded botbuilder-dialogs or its recognizers', async function () {
    this.timeout(30_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'lazy-modules-'));
    try {
      const { stdout } = await run(
        process.execPath,
        ['--no-deprecation', '-e', CHILD, dataDir, String(await freePort())],
        {
          cwd: join(__dirname, '..', '..', '..'),
        },
      );
      assert.deepEqual(JSON.parse(stdout), { dialogs: false, recognizers: false });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
