import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Bench targets run as child processes so each has its own RSS and its own CPU
 * time. The parent talks to a target over the IPC channel with tiny request/answer
 * messages ({id, cmd, args} → {id, ok, value | error}).
 */
interface RpcRequest {
  rpc: number;
  cmd: string;
  args?: unknown;
}
interface RpcAnswer {
  rpc: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export type RpcHandlers = Record<string, (args: unknown) => unknown>;

/** Child side: answer the parent's calls; 'stop' runs `onStop` and exits. Always has 'usage'. */
export function serveRpc(handlers: RpcHandlers, onStop: () => Promise<void>): void {
  const all: RpcHandlers = {
    usage: () => {
      const memory = process.memoryUsage();
      return {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        arrayBuffers: memory.arrayBuffers,
        external: memory.external,
        cpu: process.cpuUsage(),
      };
    },
    ...handlers,
  };
  process.on('message', (message: RpcRequest) => {
    if (typeof message?.rpc !== 'number') return;
    const reply = (answer: Omit<RpcAnswer, 'rpc'>): void => {
      process.send?.({ rpc: message.rpc, ...answer });
    };
    if (message.cmd === 'stop') {
      onStop()
        .catch(() => undefined)
        .finally(() => {
          reply({ ok: true });
          setTimeout(() => process.exit(0), 20);
        });
      return;
    }
    const handler = all[message.cmd];
    if (!handler) return reply({ ok: false, error: `unknown command ${message.cmd}` });
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) =>
          reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The parent going away must not leave a target running.
  process.on('disconnect', () => process.exit(0));
}

/** Child side: tell the parent the target is up (after it listens). */
export function announceReady(info: Record<string, unknown>): void {
  process.send?.({ ready: true, ...info });
}

export interface Usage {
  rss: number;
  heapUsed: number;
  external: number;
  cpu: NodeJS.CpuUsage;
}

export interface TargetProcess {
  child: ChildProcess;
  /** What the target announced when it was ready (e.g. its url). */
  info: Record<string, unknown>;
  /** ms from fork() to the ready announcement. */
  startMs: number;
  /** performance.now() just before fork(). */
  spawnedAt: number;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  usage(): Promise<Usage>;
  stop(): Promise<void>;
}

export interface StartTargetOptions {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  /** Give up waiting for 'ready' after this long. */
  readyTimeoutMs?: number;
  /** Do not wait for a ready announcement (cold-start polling does its own waiting). */
  noWait?: boolean;
  /** Where the child's stdout goes (a file descriptor); default: the bench's own stdout. */
  stdout?: number;
}

export async function startTarget(
  script: string,
  options: StartTargetOptions = {},
): Promise<TargetProcess> {
  const t0 = performance.now();
  const child = fork(script, [], {
    env: { ...process.env, ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
  });
  let nextRpc = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  child.on('message', (message: RpcAnswer) => {
    if (typeof message?.rpc !== 'number') return;
    const pending = waiting.get(message.rpc);
    waiting.delete(message.rpc);
    if (message.ok) pending?.resolve(message.value);
    else pending?.reject(new Error(message.error ?? 'target call failed'));
  });
  child.on('exit', () => {
    exited = true;
    for (const pending of waiting.values()) pending.reject(new Error(`${script} exited`));
    waiting.clear();
  });

  const call = <T>(cmd: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`${script} is not running`));
      const rpc = nextRpc++;
      waiting.set(rpc, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ rpc, cmd, args } satisfies RpcRequest);
    });

  const info = options.noWait
    ? {}
    : await waitReady(child, script, options.readyTimeoutMs ?? 60_000);
  const startMs = performance.now() - t0;
  return {
    child,
    info,
    startMs,
    spawnedAt: t0,
    call,
    usage: () => call<Usage>('usage'),
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await call('stop').catch(() => undefined);
      await gone;
      clearTimeout(timer);
    },
  };
}

function waitReady(
  child: ChildProcess,
  script: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { ready?: boolean }): void => {
      if (!message?.ready) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as Record<string, unknown>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (code ${code}) before it was ready`));
    });
  });
}
