import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A small closed-loop load driver: `concurrency` workers each send one request,
 * wait for the answer, and send the next, until the count or the time is used up.
 * Only loopback HTTP; one keep-alive agent per run so connection set-up is not measured.
 */
export interface HttpAnswer {
  status: number;
  body: string;
}

export interface JsonClient {
  post(path: string, body: unknown): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  close(): void;
}

export function jsonClient(baseUrl: string, maxSockets = 64): JsonClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(baseUrl);
  const send = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path,
          headers: payload
            ? { 'Content-Type': 'application/json', 'Content-Length': payload.length }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  return {
    post: (path, body) => send('POST', path, body),
    get: (path) => send('GET', path),
    close: () => agent.destroy(),
  };
}

export interface ClosedLoopOptions {
  concurrency: number;
  /** Stop starting requests after this long (measured phase only). */
  durationMs: number;
  /** Stop after this many measured requests in total (whichever comes first). */
  maxRequests: number;
  /** Unmeasured requests per worker first (JIT, connection pools, caches). */
  warmupPerWorker?: number;
  /** A worker stops early when this says it has nothing left (e.g. prepared confirms used up). */
  hasWork?: (worker: number) => boolean;
  /** One timed request; throw (or reject) to count it as an error. */
  send: (worker: number, sequence: number) => Promise<void>;
}

export interface ClosedLoopResult {
  concurrency: number;
  latenciesMs: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Measured requests per second of wall time. */
  throughputPerSec: number;
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { concurrency, send } = options;
  const warmup = options.warmupPerWorker ?? 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; i < warmup; i++) await send(worker, -1 - i).catch(() => undefined);
    }),
  );

  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const begin = performance.now();
  const deadline = begin + options.durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      let sequence = 0;
      const hasWork = options.hasWork ?? (() => true);
      while (started < options.maxRequests && performance.now() < deadline && hasWork(worker)) {
        started++;
        const t0 = performance.now();
        try {
          await send(worker, sequence++);
          latenciesMs.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - begin;
  return {
    concurrency,
    latenciesMs,
    errors,
    ...(firstError ? { firstError } : {}),
    elapsedMs,
    throughputPerSec: (latenciesMs.length / elapsedMs) * 1000,
  };
}
