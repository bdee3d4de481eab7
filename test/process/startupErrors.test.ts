import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/ports';
import { BotProcess } from './support/botProcess';

/**
 * `npm run start:bot` with a DATA_DIR it cannot use exits 1 with one line that names the
 * setting, the path and what is wrong (not SQLite's bare "unable to open database file").
 */
describe('process: start-up errors name what to fix (DATA_DIR)', function () {
  this.timeout(30_000);
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'passcode-desk-startup-'));
  });
  after(async () => {
    await chmod(scratch, 0o700).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  });

  async function startWith(dataDir: string): Promise<{ code: number | null; stderr: string }> {
    const bot = BotProcess.spawn({
      PORT: String(await freePort()),
      GRAPH_BASE_URL: 'http://127.0.0.1:9',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    // Should it start after all, the test fails on the exit code instead of hanging.
    void bot.ready().then(
      () => bot.kill('SIGKILL'),
      () => undefined,
    );
    const { code } = await bot.exit();
    return { code, stderr: bot.stderr };
  }

  /**
   * An existing folder this process may not add files to. Tests usually run as root, for
   * whom a chmod 555 folder is still writable: there it is /sys (sysfs refuses new files
   * to root too, with EACCES); otherwise a temporary folder made read-only with chmod.
   */
  async function unwritableFolder(): Promise<string> {
    if (process.getuid?.() === 0) return '/sys';
    const folder = join(scratch, 'read-only');
    await mkdir(folder);
    await chmod(folder, 0o555);
    return folder;
  }

  it('an existing folder it cannot write: exits 1 naming DATA_DIR, the path and "permission denied"', async () => {
    const folder = await unwritableFolder();
    const { code, stderr } = await startWith(folder);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^Setting DATA_DIR is invalid \(/, stderr);
    assert.ok(stderr.includes(`"${folder}`), `names the path: ${stderr}`);
    assert.match(stderr, /cannot write to that folder \((EACCES|EPERM): permission denied\)/);
    assert.doesNotMatch(stderr, /unable to open database file|\n\s+at /);
    assert.equal(stderr.trim().split('\n').length, 1, 'one line');
  });

  it('a path that is a file: exits 1 naming DATA_DIR, the path and that it is a file', async () => {
    const file = join(scratch, 'not-a-folder');
    await writeFile(file, 'x');
    const { code, stderr } = await startWith(file);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^Setting DATA_DIR is invalid \(/, stderr);
    assert.ok(stderr.includes(file), `names the path: ${stderr}`);
    assert.match(stderr, /it is a file, not a folder/);
  });
});
