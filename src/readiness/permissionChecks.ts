import type { GrantedPermissions } from '../intune/grantedPermissions';
import { requiredPermissions, type RequiredPermission } from '../intune/permissions';
import { item, type ReadinessItem } from './report';

export { REQUIRED_PERMISSIONS } from '../intune/permissions';

/** Why the token's permissions could not be read, when they could not. */
export type PermissionsUnread =
  | { reason: 'developmentToken' }
  | { reason: 'unreadableToken' }
  | { reason: 'noToken'; detail: string }
  | { reason: 'notProvided' }
  | { reason: 'delegatedWithoutUser' };

const titleKey = (p: RequiredPermission): string => `readiness.check.permission.${p.purpose}`;

function fixKeyFor(kind: 'roles' | 'scopes'): string {
  return kind === 'scopes'
    ? 'readiness.fix.permission.delegated'
    : 'readiness.fix.permission.application';
}

function unreadDetail(unread: PermissionsUnread): string {
  if (unread.reason === 'developmentToken') return 'development token';
  if (unread.reason === 'unreadableToken') return 'the token is not a readable JWT';
  if (unread.reason === 'noToken') return `no token: ${unread.detail}`;
  if (unread.reason === 'notProvided') return 'the token is not available to this check';
  return "delegated mode: read from a technician's token in Teams (check setup)";
}

/**
 * One item per required permission, judged against what the token holds. An opaque
 * token on a loopback Graph is the development token; elsewhere it is just unreadable.
 */
export function permissionItems(
  evidence: GrantedPermissions | PermissionsUnread,
  groupsConfigured: boolean,
  mode: 'app' | 'delegated',
  loopbackGraph: boolean,
): ReadinessItem[] {
  const unread: PermissionsUnread | undefined =
    'reason' in evidence
      ? evidence
      : evidence.kind === 'opaque'
        ? { reason: loopbackGraph ? 'developmentToken' : 'unreadableToken' }
        : undefined;
  const held = new Set('values' in evidence ? evidence.values.map((v) => v.toLowerCase()) : []);
  const tokenKind = 'kind' in evidence && evidence.kind === 'scopes' ? 'scopes' : 'roles';

  return requiredPermissions(mode).map((permission) => {
    const id = `permission.${permission.name}`;
    const keys = { titleKey: titleKey(permission), params: { permission: permission.name } };
    if (permission.onlyWithGroups && !groupsConfigured) {
      return item(
        id,
        'permissions',
        'skip',
        { ...keys, fixKey: 'readiness.fix.permission.groupsNotSet' },
        'not needed: HELPDESK_GROUP_IDS and ADMIN_GROUP_IDS are empty',
      );
    }
    if (unread) {
      const fixKey =
        unread.reason === 'noToken'
          ? 'readiness.fix.graph.credentials'
          : fixKeyFor(mode === 'delegated' ? 'scopes' : 'roles');
      return item(id, 'permissions', 'skip', { ...keys, fixKey }, unreadDetail(unread));
    }
    if (held.has(permission.name.toLowerCase())) {
      return item(id, 'permissions', 'pass', { ...keys, fixKey: fixKeyFor(tokenKind) });
    }
    const broader = permission.broader.filter((b) => held.has(b.toLowerCase()));
    if (broader.length > 0) {
      return item(
        id,
        'permissions',
        'warn',
        {
          ...keys,
          fixKey: 'readiness.fix.permission.leastPrivilege',
          params: { ...keys.params, broader: broader.join(', ') },
        },
        `covered by ${broader.join(', ')}`,
      );
    }
    return item(
      id,
      'permissions',
      'fail',
      { ...keys, fixKey: fixKeyFor(tokenKind) },
      `missing from the token's ${tokenKind === 'scopes' ? 'scp' : 'roles'}`,
    );
  });
}
