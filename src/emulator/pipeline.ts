import type { EmulatorRequestRecord } from './api';
import { codeForStatus, errorBody, GraphError } from './graphError';
import type { GraphRequest, GraphResponse } from './graphRequest';
import { dispatch } from './router';
import { ROUTES } from './routes';
import type { EmulatorState } from './state';

const BEARER = /^Bearer\s+\S+/i;

/**
 * One request, top-level or inside a $batch: record it, check auth (top level
 * only: sub-requests inherit the envelope's token), apply injected throttling and
 * faults, route it, and turn any GraphError into Graph's error body.
 */
export function execute(state: EmulatorState, request: GraphRequest): GraphResponse {
  const record: EmulatorRequestRecord = {
    method: request.method,
    url: request.url,
    status: 0,
    inBatch: request.inBatch,
    ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
  };
  state.requests.push(record);
  const started = Date.now();
  const response = answer(state, request);
  record.status = response.status;
  if (state.log) {
    const where = request.inBatch ? ' (in $batch)' : '';
    console.log(
      `[emulator] ${request.method} ${request.url} ${response.status}${where} ${Date.now() - started}ms`,
    );
  }
  return response;
}

function answer(state: EmulatorState, request: GraphRequest): GraphResponse {
  try {
    if (!request.inBatch && !BEARER.test(request.authorization ?? '')) {
      const message = request.authorization ? 'Invalid access token.' : 'Access token is empty.';
      throw new GraphError(401, 'InvalidAuthenticationToken', message);
    }
    if (request.problem) {
      throw new GraphError(
        request.problem.status,
        codeForStatus(request.problem.status),
        request.problem.message,
      );
    }
    const isEnvelope =
      !request.inBatch && request.segments.length === 1 && request.segments[0] === '$batch';
    const injected = state.faults.take(request.url, isEnvelope);
    if (injected) {
      const headers: Record<string, string> =
        injected.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(injected.retryAfterSeconds) };
      const message =
        injected.status === 429
          ? 'Too many requests. Retry after the time given in the Retry-After header.'
          : 'The service encountered an error (injected by the emulator).';
      throw new GraphError(injected.status, codeForStatus(injected.status), message, headers);
    }
    return dispatch(ROUTES, { state, request, execute: (sub) => execute(state, sub) });
  } catch (error) {
    const failure =
      error instanceof GraphError
        ? error
        : new GraphError(500, 'InternalServerError', `Emulator error: ${(error as Error).message}`);
    const context = {
      requestId: request.requestId,
      clientRequestId: request.clientRequestId,
      date: new Date(state.now()),
    };
    return {
      status: failure.status,
      headers: failure.headers,
      body: errorBody(failure.code, failure.message, context),
    };
  }
}
