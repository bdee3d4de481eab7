import { GraphError, notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import { FilterSyntaxError, parseFilter, type FilterNode } from '../odataFilter';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantServicePrincipal } from '../tenantData';
import { applySelect, contextUrl, publicView } from './common';

/** The alternate key segment: servicePrincipals(appId='…'), quotes doubled inside. */
export const SERVICE_PRINCIPAL_BY_APP_ID = /^servicePrincipals\(appId='(?<appId>(?:[^']|'')*)'\)$/i;

export function listServicePrincipals({ state, request }: HandlerContext): GraphResponse {
  const filter = request.query.get('$filter');
  const test = filter === null ? () => true : compileDirectoryFilter(filter);
  const value = state.tenant.servicePrincipals
    .filter((sp) => test(sp))
    .map((sp) => applySelect(present(sp), request.query.get('$select')));
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, request.version, 'servicePrincipals'), value },
  };
}

export function getServicePrincipalByAppId({
  state,
  request,
  params,
}: HandlerContext): GraphResponse {
  const appId = (params.appId ?? '').replace(/''/g, "'").toLowerCase();
  const sp = state.tenant.servicePrincipals.find((s) => s.appId.toLowerCase() === appId);
  return found(
    state,
    request.version,
    sp,
    `appId='${params.appId ?? ''}'`,
    request.query.get('$select'),
  );
}

export function getServicePrincipal({ state, request, params }: HandlerContext): GraphResponse {
  const id = (params.id ?? '').toLowerCase();
  const sp = state.tenant.servicePrincipals.find((s) => s.id.toLowerCase() === id);
  return found(state, request.version, sp, params.id ?? '', request.query.get('$select'));
}

function found(
  state: EmulatorState,
  version: 'v1.0' | 'beta',
  sp: TenantServicePrincipal | undefined,
  key: string,
  select: string | null,
): GraphResponse {
  if (!sp) {
    throw notFound(
      `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
      'Request_ResourceNotFound',
    );
  }
  const body = {
    '@odata.context': contextUrl(state, version, 'servicePrincipals/$entity'),
    ...applySelect(present(sp), select),
  };
  return { status: 200, body };
}

function present(sp: TenantServicePrincipal): Record<string, unknown> {
  const view = publicView(sp);
  return {
    ...view,
    accountEnabled: view.accountEnabled ?? true,
    servicePrincipalType: view.servicePrincipalType ?? 'Application',
  };
}

const FILTERABLE = new Set(['id', 'appid', 'displayname']);

/**
 * Entra ID (unlike Intune) is strict: eq on id/appId/displayName and
 * startswith(displayName, …), joined by and/or; anything else is a 400.
 */
function compileDirectoryFilter(text: string): (sp: TenantServicePrincipal) => boolean {
  let tree: FilterNode;
  try {
    tree = parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${error.message}`);
    }
    throw error;
  }
  return compile(tree);
}

function compile(node: FilterNode): (sp: TenantServicePrincipal) => boolean {
  if (node.type === 'and' || node.type === 'or') {
    const parts = node.items.map(compile);
    return node.type === 'and'
      ? (sp) => parts.every((p) => p(sp))
      : (sp) => parts.some((p) => p(sp));
  }
  const property = node.type === 'not' ? '' : node.property.toLowerCase();
  const unsupported = (): never => {
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      'Unsupported or invalid query filter clause specified.',
    );
  };
  if (node.type === 'not' || !FILTERABLE.has(property)) return unsupported();
  const literal = node.literal;
  if (literal.kind !== 'string' && literal.kind !== 'guid') return unsupported();
  const wanted = literal.value.toLowerCase();
  const read = (sp: TenantServicePrincipal): string => {
    const key = Object.keys(sp).find((k) => k.toLowerCase() === property);
    const value = key === undefined ? undefined : sp[key];
    return typeof value === 'string' ? value.toLowerCase() : '';
  };
  if (node.type === 'compare' && node.op === 'eq') return (sp) => read(sp) === wanted;
  if (node.type === 'call' && node.fn === 'startswith' && property === 'displayname') {
    return (sp) => read(sp).startsWith(wanted);
  }
  return unsupported();
}
