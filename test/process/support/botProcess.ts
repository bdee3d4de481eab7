import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../../src/paths';

/**
 * `node dist/src/index.js` (what `npm run start:bot` runs) as a real child process, with
 * only the environment a test gives it, and everything it prints kept for inspection.
 */
export class BotProcess {
  stdout = '';
  stderr = '';
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
  }

  /** Spawns the bot; `ready` waits until GET /healthz answers 200. */
  static spawn(env: Record<string, string>): BotProcess {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'index.js')], {
      cwd: projectRoot(),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new BotProcess(child, `http://127.0.0.1:${env.PORT ?? '3978'}`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the /healthz status once the server answers; rejects if the process exits first. */
  async ready(timeoutMs = 45_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited)
        throw new Error(`The bot exited before listening:\n${this.stderr}\n${this.stdout}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        return response.status;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(
      `The bot did not listen within ${timeoutMs} ms:\n${this.stderr}\n${this.stdout}`,
    );
  }

  /**
   * Waits until the tracker has ended `cycles` more cycles than now, the last one with no
   * step still running (its "Tracker cycle done" trace line): whatever the loop would do
   * next with the stored state, a duplicate send included, has happened by then. Needs
   * LOG_LEVEL=trace.
   */
  async trackerCycles(cycles: number, timeoutMs = 60_000): Promise<void> {
    const ended = () => [...this.stdout.matchAll(/"busy":(\d+),"msg":"Tracker cycle done"/g)];
    const from = ended().length;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = ended();
      if (seen.length >= from + cycles && seen.at(-1)![1] === '0') return;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `The tracker did not end ${cycles} more cycles (${seen.length - from} seen):\n${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  async kill(
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
