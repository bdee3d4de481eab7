import {
  Client,
  HTTPMessageHandler,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { TokenSource } from './credentials';
import { errorFromResponse, headerValue, toIntuneError } from './graphErrors';
import {
  AuthMiddleware,
  ThrottleObserver,
  TimeoutMiddleware,
  retryPolicy,
} from './graphMiddleware';

export type GraphVersion = 'v1.0' | 'beta';

export interface GraphClientOptions {
  /** GRAPH_BASE_URL: scheme, host and optional path, without /v1.0 or /beta. */
  baseUrl: string;
  tokenSource: TokenSource;
  /** Retries of a throttled/unavailable top-level request (RetryHandler), 0-10. Default 3. */
  maxRetries?: number;
  /** Base back-off in seconds when Graph sends no Retry-After. Default 3; tests use 0. */
  retryDelaySeconds?: number;
  /** A longer Retry-After is not waited for in-request: the caller gets the 429. Default 30. */
  maxRetryAfterSeconds?: number;
  /** Deadline of each attempt. Default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Told of every 429 (with its Retry-After, when Graph sent one): each attempt of a
   * request, and each throttled step of a $batch.
   */
  onThrottled?: (scope: ThrottleScope, retryAfterSeconds?: number) => void;
}

/** Where a 429 was seen: a whole request, or one step inside a $batch. */
export type ThrottleScope = 'request' | 'batchItem';

export interface RawResult {
  status: number;
  requestId?: string;
}

/**
 * Builds the Graph client on our own middleware chain (auth → retry → timeout →
 * HTTP), so the token reaches any Graph origin — real Graph or a loopback
 * emulator over http — through one code path.
 */
export function createMiddlewareChain(options: GraphClientOptions): Middleware {
  const auth = new AuthMiddleware(options.tokenSource, new URL(options.baseUrl).origin);
  const retry = new RetryHandler(
    new RetryHandlerOptions(
      options.retryDelaySeconds ?? 3,
      options.maxRetries ?? 3,
      retryPolicy(options.maxRetryAfterSeconds ?? 30),
    ),
  );
  const timeout = new TimeoutMiddleware(options.requestTimeoutMs ?? 30_000);
  const http = new HTTPMessageHandler();
  auth.setNext(retry);
  if (options.onThrottled) {
    // Behind the RetryHandler, so each throttled attempt counts, not just the last.
    const throttled = new ThrottleObserver((retryAfter) =>
      options.onThrottled?.('request', retryAfter),
    );
    retry.setNext(throttled);
    throttled.setNext(timeout);
  } else {
    retry.setNext(timeout);
  }
  timeout.setNext(http);
  return auth;
}

/** Graph over the library client; every failure comes out as an IntuneError. */
export class GraphHttp {
  readonly client: Client;
  readonly baseUrl: string;
  /** See GraphClientOptions.onThrottled (graphBatch reports throttled steps through it). */
  readonly onThrottled: GraphClientOptions['onThrottled'];
  readonly #chain: Middleware;

  constructor(options: GraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.onThrottled = options.onThrottled;
    this.#chain = createMiddlewareChain(options);
    this.client = Client.initWithMiddleware({
      baseUrl: this.baseUrl,
      middleware: this.#chain,
      defaultVersion: 'v1.0',
    });
  }

  async get<T>(version: GraphVersion, path: string): Promise<T> {
    try {
      return (await this.client.api(path).version(version).get()) as T;
    } catch (error) {
      throw toIntuneError(error);
    }
  }

  async post<T>(version: GraphVersion, path: string, body: unknown): Promise<T> {
    try {
      return (await this.client.api(path).version(version).post(body)) as T;
    } catch (error) {
      throw toIntuneError(error);
    }
  }

  /** A body-less POST whose answer we need only the status and request-id of. */
  async postAction(version: GraphVersion, path: string): Promise<RawResult> {
    let response: Response;
    try {
      response = (await this.client
        .api(path)
        .version(version)
        .responseType(ResponseType.RAW)
        .post(undefined)) as Response;
    } catch (error) {
      throw toIntuneError(error);
    }
    if (!response.ok)
      throw errorFromResponse(response.status, await readJson(response), response.headers);
    await response.body?.cancel();
    return { status: response.status, requestId: requestIdOf(response.headers) };
  }

  /**
   * GETs an absolute URL exactly as Graph gave it (@odata.nextLink), through the same
   * chain: token, retries, timeout. (GraphRequest would re-parse it and only knows https.)
   */
  async getAbsolute<T>(link: string): Promise<T> {
    const url = new URL(link, `${this.baseUrl}/`).toString();
    const context: Context = {
      request: url,
      options: { method: 'GET', headers: { Accept: 'application/json' } },
    };
    try {
      await this.#chain.execute(context);
    } catch (error) {
      throw toIntuneError(error);
    }
    const response = context.response;
    if (!response) throw toIntuneError(new Error('Graph gave no response'));
    const body = await readJson(response);
    if (!response.ok) throw errorFromResponse(response.status, body, response.headers);
    return body as T;
  }
}

export function requestIdOf(
  headers: Headers | Record<string, unknown> | undefined,
): string | undefined {
  return headerValue(headers, 'request-id') ?? headerValue(headers, 'client-request-id');
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
