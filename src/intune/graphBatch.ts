import {
  BatchRequestContent,
  BatchResponseContent,
  type BatchResponseBody,
} from '@microsoft/microsoft-graph-client';
import type { GraphHttp, GraphVersion } from './graphClient';
import { errorFromResponse, retryAfterSeconds, toIntuneError } from './graphErrors';
import { IntuneError, mapWithConcurrency } from '../domain/ports';

/** Graph's JSON batching limit. */
export const BATCH_LIMIT = 20;

/** One GET in a batch; `url` is relative to the version, e.g. /deviceManagement/managedDevices/x. */
export interface BatchStep {
  id: string;
  url: string;
}

export interface SubResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface BatchOptions {
  /** Tries of a throttled sub-request, the first included. Default 3. */
  maxAttempts?: number;
  /** A longer Retry-After is not waited for: the 429 is returned. Default 30. */
  maxWaitSeconds?: number;
  /** Batches in flight at once. Default 4. */
  concurrency?: number;
}

const RETRY_STATUSES = new Set([429, 503, 504]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** The batch helper wants absolute Request URLs and strips the origin again; this one never leaves the process. */
const PLACEHOLDER_ORIGIN = 'https://graph.invalid';

/**
 * Runs GETs as JSON batches of at most 20 and returns every sub-response by id.
 * Throttled sub-requests (each is throttled on its own; the RetryHandler only sees
 * the batch) are re-batched after their Retry-After, a bounded number of times.
 * When a whole batch fails, each of its steps maps to that IntuneError.
 */
export async function executeBatch(
  http: GraphHttp,
  version: GraphVersion,
  steps: readonly BatchStep[],
  options: BatchOptions = {},
): Promise<Map<string, BatchAnswer>> {
  const results = new Map<string, BatchAnswer>();
  const chunks: BatchStep[][] = [];
  for (let i = 0; i < steps.length; i += BATCH_LIMIT) chunks.push(steps.slice(i, i + BATCH_LIMIT));
  await mapWithConcurrency(chunks, options.concurrency ?? 4, async (chunk) => {
    try {
      for (const [id, response] of await runWithRetries(http, version, chunk, options))
        results.set(id, response);
    } catch (error) {
      const failure = toIntuneError(error);
      for (const step of chunk) results.set(step.id, failure);
    }
  });
  return results;
}

async function runWithRetries(
  http: GraphHttp,
  version: GraphVersion,
  chunk: BatchStep[],
  options: BatchOptions,
): Promise<Map<string, SubResponse>> {
  const maxAttempts = options.maxAttempts ?? 3;
  const maxWait = options.maxWaitSeconds ?? 30;
  const results = new Map<string, SubResponse>();
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; attempt++) {
    let answered: Map<string, SubResponse>;
    try {
      answered = await sendBatch(http, version, pending);
    } catch (error) {
      // A failed retry leaves the earlier (throttled) answers in place.
      if (attempt === 1) throw error;
      break;
    }
    const retry: BatchStep[] = [];
    let wait = 0;
    for (const step of pending) {
      const response = answered.get(step.id) ?? missing();
      results.set(step.id, response);
      if (response.status === 429)
        http.onThrottled?.('batchItem', retryAfterSeconds(response.headers));
      if (RETRY_STATUSES.has(response.status)) {
        retry.push(step);
        wait = Math.max(wait, retryAfterSeconds(response.headers) ?? 2 ** (attempt - 1));
      }
    }
    if (retry.length === 0 || attempt >= maxAttempts || wait > maxWait) break;
    await sleep(wait * 1000);
    pending = retry;
  }
  return results;
}

async function sendBatch(
  http: GraphHttp,
  version: GraphVersion,
  steps: BatchStep[],
): Promise<Map<string, SubResponse>> {
  const content = new BatchRequestContent(
    steps.map((step) => ({
      id: step.id,
      request: new Request(`${PLACEHOLDER_ORIGIN}${step.url}`, { method: 'GET' }),
    })),
  );
  const answer = await http.post<BatchResponseBody>(version, '/$batch', await content.getContent());
  const parsed = new BatchResponseContent(normalize(answer));
  const out = new Map<string, SubResponse>();
  for (const [id, response] of parsed.getResponses()) {
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    out.set(String(id), { status: response.status, headers: response.headers, body });
  }
  return out;
}

/**
 * BatchResponseContent builds a fetch Response per sub-response; it only
 * serializes a JSON body when the header is spelled exactly "Content-Type", and a
 * 204 with any body makes Response throw. Make the answer safe for it first.
 */
function normalize(answer: BatchResponseBody | undefined): BatchResponseBody {
  const responses = Array.isArray(answer?.responses) ? answer.responses : [];
  return {
    responses: responses
      .filter((r) => r && (typeof r.id === 'string' || typeof r.id === 'number'))
      .map((r) => {
        const status =
          Number.isInteger(r.status) && r.status >= 200 && r.status <= 599
            ? (r.status as number)
            : 502;
        const headers: Record<string, string> = {};
        let contentType: string | undefined;
        for (const [key, value] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) {
          if (key.toLowerCase() === 'content-type') contentType = String(value);
          else if (value !== undefined && value !== null) headers[key] = String(value);
        }
        let body: unknown = NULL_BODY_STATUSES.has(status) ? undefined : r.body;
        if (body !== undefined && body !== null && typeof body !== 'string') {
          contentType = 'application/json';
        } else if (
          typeof body === 'string' &&
          contentType?.split(';')[0]?.trim() === 'application/json'
        ) {
          // Already JSON text: keep it as text so it is not encoded twice.
          contentType = 'text/plain';
        }
        if (body === null) body = undefined;
        if (contentType) headers['Content-Type'] = contentType;
        return { id: String(r.id), status, headers, body };
      }),
  };
}

export type BatchAnswer = SubResponse | IntuneError;

/** The error of a batch answer (a failed sub-request, or the failed batch); undefined for a 2xx. */
export function failureOf(answer: BatchAnswer | undefined): IntuneError | undefined {
  if (answer === undefined) {
    return new IntuneError('The $batch answer lacked a response', 502, 'missingBatchResponse');
  }
  if (answer instanceof IntuneError) return answer;
  return answer.status >= 200 && answer.status < 300
    ? undefined
    : errorFromResponse(answer.status, answer.body, answer.headers);
}

function missing(): SubResponse {
  return {
    status: 502,
    headers: new Headers(),
    body: {
      error: {
        code: 'missingBatchResponse',
        message: 'The $batch answer had no response for this request',
      },
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
