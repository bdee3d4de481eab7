import { badRequest } from './graphError';
import { toGraphRequest, type GraphResponse } from './graphRequest';
import type { HandlerContext } from './router';

/** Graph's limit on requests in one JSON batch. */
export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * POST /$batch. Each sub-request goes through the same pipeline as a top-level
 * request (own throttling, faults and record), in order; `dependsOn` is ignored.
 * The envelope answers 200 even when sub-requests fail, as Graph does.
 */
export function handleBatch({ request, execute }: HandlerContext): GraphResponse {
  const items = readItems(request.body);
  const responses = items.map((item) => {
    const url = `/${request.version}/${item.url.replace(/^\/+/, '')}`;
    const headers = lowerCaseKeys(item.headers ?? {});
    const sub = toGraphRequest({
      method: item.method,
      url,
      headers: {
        ...headers,
        'client-request-id': headers['client-request-id'] ?? request.clientRequestId,
      },
      body: item.body,
      inBatch: true,
      ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
    });
    if (sub.segments.length === 1 && sub.segments[0]?.toLowerCase() === '$batch') {
      sub.problem = { status: 400, message: 'A $batch request cannot contain another $batch.' };
    }
    const answer = execute(sub);
    const answerHeaders: Record<string, string> = { ...(answer.headers ?? {}) };
    if (answer.body !== undefined) answerHeaders['Content-Type'] = 'application/json';
    return {
      id: item.id,
      status: answer.status,
      headers: answerHeaders,
      ...(answer.body === undefined ? {} : { body: answer.body }),
    };
  });
  return { status: 200, body: { responses } };
}

function readItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests))
    throw badRequest("Invalid batch payload format: 'requests' must be an array.");
  if (requests.length === 0)
    throw badRequest('Invalid batch payload format: the batch has no requests.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(
      `The number of requests in a batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`,
    );
  }
  const seen = new Set<string>();
  return requests.map((raw: unknown, index) => {
    const item = raw as Partial<BatchItem> | null;
    if (!item || typeof item !== 'object')
      throw badRequest(`Invalid batch payload format: request ${index} is not an object.`);
    const { id, method, url, headers } = item;
    if (typeof id !== 'string' || id === '')
      throw badRequest(`Invalid batch payload format: request ${index} has no id.`);
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) {
      throw badRequest(`Invalid batch payload format: request '${id}' has no valid method.`);
    }
    if (typeof url !== 'string' || url === '' || /^[a-z]+:\/\//i.test(url)) {
      throw badRequest(
        `Invalid batch payload format: request '${id}' needs a URL relative to the version.`,
      );
    }
    if (headers !== undefined && (typeof headers !== 'object' || headers === null)) {
      throw badRequest(`Invalid batch payload format: request '${id}' has invalid headers.`);
    }
    if (seen.has(id))
      throw badRequest(`Invalid batch payload format: request id '${id}' is used more than once.`);
    seen.add(id);
    return item as BatchItem;
  });
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = String(value);
  return out;
}
