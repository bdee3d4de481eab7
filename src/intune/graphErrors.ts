import { GraphError } from '@microsoft/microsoft-graph-client';
import { IntuneError } from '../domain/ports';

/** Headers as fetch gives them, or as a $batch sub-response gives them (a plain object). */
export type HeaderBag = Headers | Record<string, unknown> | undefined | null;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

/** Retry-After in seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(headers: HeaderBag, now = Date.now()): number | undefined {
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

const MAX_MESSAGE = 300;

/** Graph messages are plain text about the request; still, keep them short and token-free. */
function clean(message: string | undefined, fallback: string): string {
  const text =
    (message ?? '').replace(/Bearer\s+[\w\-.~+/=]+/gi, 'Bearer [redacted]').trim() || fallback;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 3)}...` : text;
}

interface GraphErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    innerError?: Record<string, unknown>;
    innererror?: Record<string, unknown>;
  };
}

/** An error from a status, a Graph error body and headers (top-level or $batch sub-response). */
export function errorFromResponse(status: number, body: unknown, headers: HeaderBag): IntuneError {
  const error = (body as GraphErrorBody | null)?.error;
  const inner = error?.innerError ?? error?.innererror;
  const innerId = inner?.['request-id'];
  const requestId =
    headerValue(headers, 'request-id') ?? (typeof innerId === 'string' ? innerId : undefined);
  const code = typeof error?.code === 'string' && error.code ? error.code : `http${status}`;
  const message = clean(
    typeof error?.message === 'string' ? error.message : undefined,
    `Graph answered HTTP ${status}`,
  );
  return new IntuneError(message, status, code, requestId, retryAfterSeconds(headers));
}

/**
 * The library's GraphError (and anything else thrown while calling Graph) as an
 * IntuneError. No HTTP response (network failure, timeout, no token) is status 0.
 */
export function toIntuneError(error: unknown): IntuneError {
  if (error instanceof IntuneError) return error;
  if (error instanceof GraphError) {
    const hasStatus = error.statusCode > 0;
    const requestId = headerValue(error.headers, 'request-id') ?? error.requestId ?? undefined;
    const code = hasStatus ? error.code || `http${error.statusCode}` : transportCode(error.code);
    const fallback = hasStatus
      ? `Graph answered HTTP ${error.statusCode}`
      : 'Graph could not be reached';
    return new IntuneError(
      clean(error.message, fallback),
      hasStatus ? error.statusCode : 0,
      code,
      requestId,
      retryAfterSeconds(error.headers),
    );
  }
  const name = error instanceof Error ? error.name : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new IntuneError(clean(message, 'Graph could not be reached'), 0, transportCode(name));
}

/** The code of a failure without an HTTP answer, from the thrown error's name. */
function transportCode(name: string | null | undefined): string {
  if (name === 'TokenAcquisitionError' || name === 'GraphOriginError') return name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'Timeout';
  return 'NetworkError';
}
