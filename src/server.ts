import restify, { type Request, type Response, type Server } from 'restify';
import { activityShapeProblem } from './bot/activityShape';
import type { Logger } from './logger';

export const MAX_BODY_BYTES = 256 * 1024;
const READINESS_TIMEOUT_MS = 5_000;

/** A dependency /readyz probes: a name people can read and a cheap call. */
export interface ReadinessProbe {
  name: string;
  ping(): Promise<void>;
}

export interface ServerParts {
  /** Hands a POST /api/messages to the bot (the CloudAdapter authenticates and answers). */
  processMessage(req: Request, res: Response): Promise<void>;
  readiness: ReadinessProbe[];
  logger: Logger;
  maxBodyBytes?: number;
  /** Counts turns in flight and says when the app is stopping (see shutdownServer). */
  turns?: TurnGate;
}

/**
 * Turns in flight, and whether the app is stopping: once it is, /readyz and every new
 * POST /api/messages answer 503, while the turns already in flight run to the end.
 */
export class TurnGate {
  #stopping = false;
  #active = 0;
  #idle: Array<() => void> = [];

  get stopping(): boolean {
    return this.#stopping;
  }

  /** False once stopping: the caller must not start the turn. */
  enter(): boolean {
    if (this.#stopping) return false;
    this.#active++;
    return true;
  }

  leave(): void {
    this.#active = Math.max(0, this.#active - 1);
    if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  stop(): void {
    this.#stopping = true;
  }

  /**
   * Counts work a turn left running after it answered (a late card press) as in flight, so
   * a graceful stop waits for it as it waits for turns; counted even while stopping, since
   * the turn that started it was.
   */
  keep(work: Promise<unknown>): void {
    this.#active++;
    void work.finally(() => this.leave()).catch(() => undefined);
  }

  /** True when every turn finished within `ms`, false when some were still running. */
  async drained(ms: number): Promise<boolean> {
    if (this.#active === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<true>((resolve) => this.#idle.push(() => resolve(true)));
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    return Promise.race([idle, late]).finally(() => clearTimeout(timer));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The HTTP face: POST /api/messages for Teams, GET /healthz (the process is alive) and
 * GET /readyz (Intune and the store answer). Bodies are uncompressed JSON, at most 256 KB.
 */
export function createServer(parts: ServerParts): Server {
  const maxBodyBytes = parts.maxBodyBytes ?? MAX_BODY_BYTES;
  const turns = parts.turns ?? new TurnGate();
  const server = restify.createServer({ name: 'passcode-desk' });

  // Refuse an oversized body before reading it when its length is declared; the body
  // parser's own limit catches the rest.
  server.pre((req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      res.send(413, {
        code: 'PayloadTooLarge',
        message: `Request body exceeds ${maxBodyBytes} bytes`,
      });
      return next(false);
    }
    return next();
  });
  // The Bot Framework never compresses what it posts. The body parser would inflate gzip
  // without counting the inflated bytes (a 120 KB body can inflate to 120 MB before
  // authentication runs), so a compressed body is refused before a byte of it is read.
  server.pre((req, res, next) => {
    const encoding = String(req.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding === 'identity' || encoding === '') {
      // The body parser refuses any named encoding but gzip, `identity` included.
      delete req.headers['content-encoding'];
      return next();
    }
    res.send(415, {
      code: 'UnsupportedMediaType',
      message: 'Compressed request bodies are not accepted',
    });
    return next(false);
  });
  // Only JSON is parsed: the body parser would otherwise also take forms and multipart
  // uploads (written to temporary files) from anyone who can reach the port.
  server.pre((req, res, next) => {
    if (!hasBody(req) || req.getContentType().trim() === 'application/json') return next();
    res.send(415, {
      code: 'UnsupportedMediaType',
      message: 'Request bodies must be application/json',
    });
    return next(false);
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    // Refused before authentication and before any handler: nothing is processed.
    const problem = activityShapeProblem(req.body);
    if (problem) {
      res.send(400, { code: 'BadRequest', message: `Not a Bot Framework activity: ${problem}` });
      return;
    }
    if (!turns.enter()) {
      // Stopping: the Bot Framework service retries the activity; another instance takes it.
      res.header('Retry-After', '5');
      res.send(503, { code: 'ServiceUnavailable', message: 'Shutting down' });
      return;
    }
    try {
      await parts.processMessage(req, res);
    } catch (error) {
      // The SDK's own message may quote internals: the caller gets a plain 500.
      parts.logger.error({ err: { name: (error as Error)?.name } }, 'Could not process a request');
      if (!res.headersSent) res.send(500, { code: 'Internal', message: 'Internal error' });
    } finally {
      turns.leave();
    }
  });

  server.get('/healthz', (_req: Request, res: Response, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    if (turns.stopping) {
      res.send(503, { status: 'stopping' });
      return;
    }
    const failed: string[] = [];
    await Promise.all(
      parts.readiness.map(async (probe) => {
        try {
          await withTimeout(probe.ping(), READINESS_TIMEOUT_MS);
        } catch (error) {
          failed.push(probe.name);
          // Name and message only: a dependency's error object may carry request details.
          parts.logger.warn(
            {
              dependency: probe.name,
              err: { name: (error as Error)?.name, message: (error as Error)?.message },
            },
            'Readiness check failed',
          );
        }
      }),
    );
    if (failed.length > 0) res.send(503, { status: 'unavailable', failed: failed.sort() });
    else res.send(200, { status: 'ready' });
  });

  return server;
}

/** A request that carries a body (declared or streamed). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Listens and resolves with the base URL (port 0 picks a free port). */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.removeListener('error', onError);
      const address = server.address();
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

/**
 * Graceful stop: marks `turns` stopping (503 from then on), stops listening, lets the
 * turns in flight finish for up to `graceMs`, then closes every connection left.
 * Resolves false when turns were cut off.
 */
export async function shutdownServer(
  server: Server,
  turns: TurnGate,
  graceMs: number,
): Promise<boolean> {
  turns.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const http = server.server as { closeIdleConnections?: () => void };
  http.closeIdleConnections?.();
  const finished = await turns.drained(graceMs);
  // Keep-alive sockets of finished turns would hold close() open for seconds.
  (server.server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await closed;
  return finished;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open for minutes.
    (server.server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
