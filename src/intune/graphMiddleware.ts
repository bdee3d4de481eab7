import { randomUUID } from 'node:crypto';
import type {
  Context,
  FetchOptions,
  Middleware,
  ShouldRetry,
} from '@microsoft/microsoft-graph-client';
import type { TokenSource } from './credentials';
import { retryAfterSeconds } from './graphErrors';

/** Thrown when a request would leave the configured Graph origin (e.g. a foreign @odata.nextLink). */
export class GraphOriginError extends Error {
  constructor(origin: string) {
    super(`Refusing to send a Graph request (and its token) to ${origin}`);
    this.name = 'GraphOriginError';
  }
}

export function requestUrl(request: Context['request']): string {
  return typeof request === 'string' ? request : request.url;
}

function setHeader(context: Context, name: string, value: string): void {
  if (typeof context.request !== 'string') {
    context.request.headers.set(name, value);
    return;
  }
  const options: FetchOptions = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else options.headers = { ...(headers ?? {}), [name]: value };
}

function hasHeader(context: Context, name: string): boolean {
  if (typeof context.request !== 'string') return context.request.headers.has(name);
  const headers = context.options?.headers;
  if (!headers) return false;
  if (headers instanceof Headers) return headers.has(name);
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.some(([key]) => key?.toLowerCase() === name.toLowerCase());
}

/**
 * First in the chain: attaches the bearer token (from any TokenSource, so app and
 * delegated mode share the code) and a client-request-id, and only for the Graph
 * origin we were configured with — a token never follows a link elsewhere.
 */
export class AuthMiddleware implements Middleware {
  #next?: Middleware;

  constructor(
    private readonly tokenSource: TokenSource,
    private readonly graphOrigin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context.request);
    const origin = new URL(url).origin;
    if (origin !== this.graphOrigin) throw new GraphOriginError(origin);
    const token = await this.tokenSource.getToken(url);
    setHeader(context, 'Authorization', `Bearer ${token}`);
    if (!hasHeader(context, 'client-request-id'))
      setHeader(context, 'client-request-id', randomUUID());
    if (!this.#next) throw new Error('AuthMiddleware has no next middleware');
    await this.#next.execute(context);
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** Gives every attempt (each retry too) its own deadline, so a hung connection cannot stall a turn. */
export class TimeoutMiddleware implements Middleware {
  #next?: Middleware;

  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const options: FetchOptions = (context.options ??= {});
    options.signal = AbortSignal.timeout(this.timeoutMs);
    if (!this.#next) throw new Error('TimeoutMiddleware has no next middleware');
    await this.#next.execute(context);
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** Calls `onThrottled` for every 429 answer that passes through it, with its Retry-After. */
export class ThrottleObserver implements Middleware {
  #next?: Middleware;

  constructor(private readonly onThrottled: (retryAfterSeconds?: number) => void) {}

  async execute(context: Context): Promise<void> {
    if (!this.#next) throw new Error('ThrottleObserver has no next middleware');
    await this.#next.execute(context);
    if (context.response?.status === 429) {
      try {
        this.onThrottled(retryAfterSeconds(context.response.headers));
      } catch {
        // Counting must never fail a Graph call.
      }
    }
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** POSTs that only read, so retrying them after a 503/504 cannot repeat a side effect. */
const READ_ONLY_POST = /\/(\$batch|checkMemberGroups|getByIds)(\?|$)/;

/**
 * When the library's RetryHandler may retry: a write (resetPasscode) only after a
 * 429, which Graph did not act on; and nothing whose Retry-After is longer than we
 * are willing to hold a request — the caller gets the error and its retryAfterSeconds.
 */
export function retryPolicy(maxRetryAfterSeconds: number): ShouldRetry {
  return (_delay, _attempt, request, options, response) => {
    const method = (typeof request === 'string' ? options?.method : request.method) ?? 'GET';
    if (
      method.toUpperCase() === 'POST' &&
      response.status !== 429 &&
      !READ_ONLY_POST.test(requestUrl(request))
    ) {
      return false;
    }
    const wait = retryAfterSeconds(response.headers);
    return wait === undefined || wait <= maxRetryAfterSeconds;
  };
}
