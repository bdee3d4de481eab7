import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/ports';
import { projectRoot } from '../../src/paths';

/** `npm start` (node dist/src/demo/start.js) as a process: the demo, the bot alone, or the error line. */
class StartProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'demo', 'start.js')], {
      cwd: projectRoot(),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (exited || Date.now() > deadline) {
        throw new Error(`No ${pattern} in the output:\n${this.stdout}\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  stop(): Promise<unknown> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }
}

async function status(
  url: string,
  headers: Record<string, string> = {},
): Promise<number | 'refused'> {
  try {
    return (await fetch(url, { headers })).status;
  } catch {
    return 'refused';
  }
}

describe('process: npm start', function () {
  this.timeout(150_000);
  let dataDir: string;
  const started: StartProcess[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'passcode-desk-start-'));
  });
  afterEach(async () => {
    for (const process of started.splice(0)) await process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string>): StartProcess => {
    const process = new StartProcess(env);
    started.push(process);
    return process;
  };

  it('with nothing configured runs emulator, bot and playground, says what to do, and Ctrl+C stops all three', async () => {
    const demo = start({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    await demo.waitForOutput(/Press Ctrl\+C to stop\./);
    const playground = demo.stdout.match(/Open (http:\/\/localhost:\d+) in a browser/)?.[1];
    const bot = demo.stdout.match(/Bot: +(http:\/\/127\.0\.0\.1:\d+)\/api\/messages/)?.[1];
    const emulator = demo.stdout.match(/Emulator: +(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    assert.ok(playground && bot && emulator, demo.stdout);
    assert.match(demo.stdout, /reset lumia 950/);
    assert.match(demo.stdout, /check setup/);
    assert.equal(demo.stderr, '', 'a clean console (no warnings)');

    assert.equal(await status(playground), 200);
    assert.equal(await status(`${bot}/healthz`), 200);
    assert.equal(await status(`${bot}/readyz`), 200);
    const devices = `${emulator}/v1.0/deviceManagement/managedDevices?$top=1`;
    assert.equal(await status(devices, { Authorization: 'Bearer demo' }), 200);
    assert.ok(existsSync(join(dataDir, 'demo', 'bot.log')), 'bot logs go to DATA_DIR/demo/bot.log');

    demo.signal('SIGINT');
    const { code } = await demo.exited;
    assert.equal(code, 0);
    assert.match(demo.stdout, /Stopping the demo/);
    assert.equal(await status(`${bot}/healthz`), 'refused');
    assert.equal(await status(devices, { Authorization: 'Bearer demo' }), 'refused');
    // The playground is a child process: it must be gone too. Its port may outlive the
    // demo's exit by a moment (its 5 s grace, then SIGKILL): a generous bound, not a timing.
    const deadline = Date.now() + 30_000;
    while ((await status(playground)) !== 'refused' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(await status(playground), 'refused');
  });

  it('with real settings runs the bot alone and says so, never the demo', async () => {
    const port = await freePort();
    const bot = start({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      MicrosoftAppId: '22222222-2222-2222-2222-222222222222',
      MicrosoftAppPassword: 'bot-secret',
      AZURE_TENANT_ID: '00000000-0000-0000-0000-00000000aaaa',
      AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
      AZURE_CLIENT_SECRET: 'graph-secret',
    });
    await bot.waitForOutput(/Bot listening: http:\/\/127\.0\.0\.1:\d+\/api\/messages/);
    assert.match(
      bot.stdout,
      /starting the bot alone against Microsoft Graph at https:\/\/graph\.microsoft\.com/,
    );
    assert.doesNotMatch(bot.stdout, /Starting the offline demo|in a browser|Emulator:/);
    assert.doesNotMatch(bot.stdout + bot.stderr, /bot-secret|graph-secret/);
    assert.equal(await status(`http://127.0.0.1:${port}/healthz`), 200);
    assert.equal(existsSync(join(dataDir, 'demo')), false);
    bot.signal('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });

  it('with half-set settings prints the config error line and exits non-zero, without running the demo', async () => {
    const half = start({
      DATA_DIR: dataDir,
      MicrosoftAppId: '22222222-2222-2222-2222-222222222222',
    });
    const { code } = await half.exited;
    assert.equal(code, 1);
    assert.deepEqual(half.stderr.trim().split('\n'), [
      'Setting MicrosoftAppPassword is missing: expected the Azure Bot client secret when MicrosoftAppId is set, for example MicrosoftAppPassword=(secret)',
    ]);
    assert.equal(half.stdout, '');
    assert.equal(existsSync(join(dataDir, 'demo')), false);
  });

  it('refuses a malformed LOG_LEVEL for the demo with the usual line', async () => {
    const demo = start({ DATA_DIR: dataDir, LOG_LEVEL: 'loud' });
    assert.equal((await demo.exited).code, 1);
    assert.match(demo.stderr.trim(), /^Setting LOG_LEVEL is invalid \("loud"\)/);
    assert.equal(demo.stderr.trim().split('\n').length, 1);
  });
});
