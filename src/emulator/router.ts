import { GraphError, notFound } from './graphError';
import type { GraphRequest, GraphResponse } from './graphRequest';
import { enforcePermissions, type PermissionRule } from './permissions';
import type { EmulatorState } from './state';

export interface HandlerContext {
  state: EmulatorState;
  request: GraphRequest;
  params: Record<string, string>;
  /** Runs a sub-request through the full pipeline (auth aside): used by $batch. */
  execute: (request: GraphRequest) => GraphResponse;
}

export type Handler = (context: HandlerContext) => GraphResponse;

/** A literal segment (matched case-insensitively, as Graph does), ':name', or a RegExp with named groups. */
export type SegmentPattern = string | RegExp;

export interface Route {
  method: 'GET' | 'POST';
  path: SegmentPattern[];
  handler: Handler;
  /** What the operation needs (its Graph reference page's Permissions table). */
  needs?: PermissionRule;
}

export function dispatch(
  routes: readonly Route[],
  context: Omit<HandlerContext, 'params'>,
): GraphResponse {
  const { segments, method } = context.request;
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    enforcePermissions(context.state.permissions, route.needs, context.request);
    return route.handler({ ...context, params });
  }
  if (pathMatched) {
    throw new GraphError(
      405,
      'BadRequest',
      `The HTTP method '${method}' is not allowed for this resource.`,
    );
  }
  const last = segments[segments.length - 1] ?? '';
  throw notFound(`Resource not found for the segment '${last}'.`);
}

function matchPath(
  pattern: SegmentPattern[],
  segments: string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected instanceof RegExp) {
      const match = expected.exec(actual);
      if (!match) return undefined;
      Object.assign(params, match.groups ?? {});
    } else if (expected.startsWith(':')) {
      params[expected.slice(1)] = actual;
    } else if (expected.toLowerCase() !== actual.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
