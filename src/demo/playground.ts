import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs the Microsoft 365 Agents Playground CLI (a dev dependency) as a child process:
 * a Teams-like web client on `port` with its own mock connector at /_connector.
 */
export interface PlaygroundOptions {
  /** The bot endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** The playground falls back to a random port when this one is taken; see `port`. */
  port: number;
  /** Its .m365agentsplayground.yml (mock tenant, users, chats). */
  configPath: string;
  /** Where it writes its log (otherwise ./devTools/ in the working directory). */
  logFile: string;
  /** How long to wait for "Listening on", in ms. */
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  /** Where a browser opens it, e.g. http://localhost:56150 */
  url: string;
  port: number;
  /** Its mock Bot Framework connector; the serviceUrl of the activities it sends. */
  connectorUrl: string;
  /** stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Path of the playground CLI, or undefined when dev dependencies are not installed. */
export function playgroundCli(): string | undefined {
  try {
    return require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    return undefined;
  }
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const cli = playgroundCli();
  if (!cli)
    throw new Error('The Agents Playground (@microsoft/m365agentsplayground) is not installed');
  const child = spawn(
    process.execPath,
    [cli, '-e', options.botEndpoint, '-c', 'msteams', '--dt', '-p', String(options.port)],
    {
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // However this process ends (even process.exit mid-start), the playground ends with it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        fail(
          new Error(
            `The Agents Playground did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`,
          ),
        ),
      options.startTimeoutMs ?? 30_000,
    );
    const onData = (): void => {
      const match = output.match(/Listening on (\d+)/);
      if (match) done(() => resolve(Number(match[1])));
    };
    const onExit = (code: number | null): void =>
      fail(
        new Error(
          `The Agents Playground exited (code ${String(code)}) before listening:\n${output}`,
        ),
      );
    const done = (settle: () => void): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      settle();
    };
    const fail = (error: Error): void => {
      done(() => reject(error));
      child.kill('SIGKILL');
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => fail(error));
  });

  return {
    url: `http://localhost:${port}`,
    port,
    connectorUrl: `http://localhost:${port}/_connector`,
    output: () => output,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
