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
  async ready(timeoutMs = 15_000): Promise<number> {
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
