import { randomUUID } from 'node:crypto';
import type { GraphVersion } from './deviceProperties';

/** One request as the handlers see it, whether it came over HTTP or inside a $batch. */
export interface GraphRequest {
  method: string;
  version: GraphVersion;
  /** Decoded path segments below the version, e.g. ['deviceManagement', 'managedDevices', '{id}']. */
  segments: string[];
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
  /** Path and query as received, with the version, e.g. /beta/deviceManagement/managedDevices?$top=5 */
  url: string;
  inBatch: boolean;
  authorization?: string;
  requestId: string;
  clientRequestId: string;
  /** Set when the URL itself is unusable (bad encoding, no /v1.0 or /beta). */
  problem?: { status: number; message: string };
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RequestParts {
  method: string;
  /** Path and query, starting with '/'. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  inBatch: boolean;
  authorization?: string;
}

/**
 * Splits the version off and decodes the path. A path outside /v1.0 and /beta, or
 * one that cannot be decoded, yields `problem`, which the pipeline answers after
 * the auth check (as Graph does).
 */
export function toGraphRequest(parts: RequestParts): GraphRequest {
  const clientRequestId = parts.headers['client-request-id'] || randomUUID();
  const base = {
    method: parts.method.toUpperCase(),
    headers: parts.headers,
    body: parts.body,
    url: parts.url,
    inBatch: parts.inBatch,
    requestId: randomUUID(),
    clientRequestId,
    ...(parts.authorization === undefined ? {} : { authorization: parts.authorization }),
  };
  let parsed: URL;
  let segments: string[];
  try {
    parsed = new URL(parts.url, 'http://emulator.invalid');
    segments = parsed.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return {
      ...base,
      version: 'v1.0',
      segments: [],
      query: new URLSearchParams(),
      problem: { status: 400, message: 'The request URL is not valid.' },
    };
  }
  const [first, ...rest] = segments;
  const version: GraphVersion | undefined =
    first?.toLowerCase() === 'v1.0' ? 'v1.0' : first?.toLowerCase() === 'beta' ? 'beta' : undefined;
  if (!version) {
    return {
      ...base,
      version: 'v1.0',
      segments,
      query: parsed.searchParams,
      problem: { status: 404, message: `Invalid version: ${first ?? '(none)'}` },
    };
  }
  return { ...base, version, segments: rest, query: parsed.searchParams };
}
