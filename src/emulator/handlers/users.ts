import { GraphError, notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantUser } from '../tenantData';
import { applySelect, contextUrl, publicView } from './common';

export function getUser({ state, request, params }: HandlerContext): GraphResponse {
  const user = findUser(state, params.user ?? '');
  const body = {
    '@odata.context': contextUrl(state, request.version, 'users/$entity'),
    ...applySelect(publicView(user), request.query.get('$select')),
  };
  return { status: 200, body };
}

/** POST /users/{id}/checkMemberGroups: which of groupIds the user is in, directly or through nested groups. */
export function checkMemberGroups({ state, request, params }: HandlerContext): GraphResponse {
  const user = findUser(state, params.user ?? '');
  const groupIds = (request.body as { groupIds?: unknown } | undefined)?.groupIds;
  if (!Array.isArray(groupIds) || groupIds.some((g) => typeof g !== 'string')) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      "The request body must contain 'groupIds', an array of strings.",
    );
  }
  if (groupIds.length > 20) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      'checkMemberGroups accepts at most 20 group ids.',
    );
  }
  const memberOf = transitiveGroups(state, user.id);
  const value = (groupIds as string[]).filter((id) => memberOf.has(id.toLowerCase()));
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, request.version, 'Collection(Edm.String)'), value },
  };
}

export function listTransitiveMemberOf({ state, request, params }: HandlerContext): GraphResponse {
  const user = findUser(state, params.user ?? '');
  const memberOf = transitiveGroups(state, user.id);
  const value = state.tenant.groups
    .filter((g) => memberOf.has(g.id.toLowerCase()))
    .map((g) => ({ '@odata.type': '#microsoft.graph.group', ...publicView(g, ['members']) }));
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, request.version, 'directoryObjects'), value },
  };
}

export function listOrganization({ state, request }: HandlerContext): GraphResponse {
  const domains = state.tenant.domains ?? [];
  const org = {
    id: state.tenantId,
    displayName: state.tenant.displayName,
    verifiedDomains: domains.map((name, i) => ({
      capabilities: 'Email, OfficeCommunicationsOnline',
      isDefault: i === 0,
      isInitial: name.endsWith('.onmicrosoft.com'),
      name,
      type: 'Managed',
    })),
  };
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, request.version, 'organization'), value: [org] },
  };
}

/** By object id or user principal name, case-insensitively. */
function findUser(state: EmulatorState, key: string): TenantUser {
  const lower = key.toLowerCase();
  const user = state.tenant.users.find(
    (u) => u.id.toLowerCase() === lower || u.userPrincipalName.toLowerCase() === lower,
  );
  if (!user) {
    throw notFound(
      `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
      'Request_ResourceNotFound',
    );
  }
  return user;
}

/** Lower-cased ids of every group the object is in, following nested groups (cycles tolerated). */
export function transitiveGroups(state: EmulatorState, objectId: string): Set<string> {
  const found = new Set<string>();
  const queue = [objectId.toLowerCase()];
  while (queue.length > 0) {
    const member = queue.shift()!;
    for (const group of state.tenant.groups) {
      const id = group.id.toLowerCase();
      if (found.has(id)) continue;
      if (group.members.some((m) => m.toLowerCase() === member)) {
        found.add(id);
        queue.push(id);
      }
    }
  }
  return found;
}
