import type { Span } from '@opentelemetry/api';
import type { ClientRequest, IncomingMessage } from 'node:http';

/**
 * Outgoing HTTP spans keep scheme, host and path only. A query string can carry what a
 * technician typed (a Graph $filter with a device name or a UPN) or a signature; the
 * path is enough to tell which call it was. (Graph calls go through fetch, which the
 * HTTP instrumentation does not see; this guards every other client, and future ones.)
 */
export function stripOutgoingQuery(span: Span, request: ClientRequest | IncomingMessage): void {
  if (!isClientRequest(request)) return;
  const path = request.path.split('?')[0] ?? '/';
  // The Host header has the port when it is not the default one; `host` never does.
  const hostHeader = request.getHeader('host');
  const host = typeof hostHeader === 'string' && hostHeader ? hostHeader : request.host;
  const url = `${request.protocol}//${host}${path}`;
  span.setAttribute('http.url', url);
  span.setAttribute('url.full', url);
  span.setAttribute('http.target', path);
}

/** An outgoing request has a path and a host; an incoming one has neither. */
function isClientRequest(request: ClientRequest | IncomingMessage): request is ClientRequest {
  const outgoing = request as Partial<ClientRequest>;
  return typeof outgoing.path === 'string' && typeof outgoing.host === 'string';
}
