import restify, { type Request, type Response, type Server } from 'restify';
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
 * GET /readyz (Intune and the store answer). Bodies are JSON, at most 256 KB.
 */
export function createServer(parts: ServerParts): Server {
  const maxBodyBytes = parts.maxBodyBytes ?? MAX_BODY_BYTES;
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
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    await parts.processMessage(req, res);
  });

  server.get('/healthz', (_req: Request, res: Response, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
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

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open for minutes.
    (server.server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
