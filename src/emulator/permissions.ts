import { GraphError } from './graphError';
import type { GraphRequest } from './graphRequest';

/**
 * What each emulated operation needs, as its Graph reference page's "Permissions" table
 * says: alternatives, each a set of permissions that together suffice. Enforced only
 * when the emulator is told which permissions the app holds (EmulatorOptions.permissions).
 */
export interface PermissionRule {
  /** Who answers a refusal: Intune and the directory word their 403s differently. */
  service: 'intune' | 'directory';
  application: readonly (readonly string[])[];
  delegated: readonly (readonly string[])[];
}

const one = (...names: string[]): string[][] => names.map((n) => [n]);

/** "List managedDevices", "Get managedDevice". */
export const READ_DEVICES: PermissionRule = {
  service: 'intune',
  application: one(
    'DeviceManagementManagedDevices.Read.All',
    'DeviceManagementManagedDevices.ReadWrite.All',
  ),
  delegated: one(
    'DeviceManagementManagedDevices.Read.All',
    'DeviceManagementManagedDevices.ReadWrite.All',
  ),
};

/** "resetPasscode action": PrivilegedOperations.All only. */
export const RESET_PASSCODE: PermissionRule = {
  service: 'intune',
  application: one('DeviceManagementManagedDevices.PrivilegedOperations.All'),
  delegated: one('DeviceManagementManagedDevices.PrivilegedOperations.All'),
};

/** deviceConfigurations, their assignments, configurationPolicies (beta) and their settings/assignments. */
export const READ_CONFIGURATION: PermissionRule = {
  service: 'intune',
  application: one(
    'DeviceManagementConfiguration.Read.All',
    'DeviceManagementConfiguration.ReadWrite.All',
  ),
  delegated: one(
    'DeviceManagementConfiguration.Read.All',
    'DeviceManagementConfiguration.ReadWrite.All',
  ),
};

/** "getOmaSettingPlainTextValue function": "ReadWrite permission is required". */
export const READ_OMA_SECRET: PermissionRule = {
  service: 'intune',
  application: one('DeviceManagementConfiguration.ReadWrite.All'),
  delegated: one('DeviceManagementConfiguration.ReadWrite.All'),
};

/** "List servicePrincipals". */
export const READ_SERVICE_PRINCIPALS: PermissionRule = {
  service: 'directory',
  application: one(
    'Application.Read.All',
    'Application.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ),
  delegated: one(
    'Application.Read.All',
    'Application.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ),
};

/** "directoryObject: checkMemberGroups", group memberships for other users. */
export const CHECK_MEMBER_GROUPS: PermissionRule = {
  service: 'directory',
  application: [
    ['User.Read.All', 'GroupMember.Read.All'],
    ['User.Read.All', 'Group.Read.All'],
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ],
  delegated: [
    ['User.ReadBasic.All', 'GroupMember.Read.All'],
    ['User.Read.All', 'GroupMember.Read.All'],
    ['User.ReadBasic.All', 'Group.Read.All'],
    ['User.Read.All', 'Group.Read.All'],
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ],
};

/** "Get user", "List users", "List transitiveMemberOf". */
export const READ_USERS: PermissionRule = {
  service: 'directory',
  application: one('User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'),
  delegated: one('User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'),
};

/** "List organization". */
export const READ_ORGANIZATION: PermissionRule = {
  service: 'directory',
  application: one('Organization.Read.All', 'Directory.Read.All'),
  delegated: one('User.Read', 'Organization.Read.All', 'Directory.Read.All'),
};

/** The permissions a request carries: a fixed grant, or the token's own roles/scp. */
export type HeldPermissions = readonly string[] | 'token';

interface Held {
  delegated: boolean;
  values: Set<string>;
}

function fromToken(authorization: string | undefined): Held {
  const token = (authorization ?? '').replace(/^Bearer\s+/i, '').trim();
  const payload = token.split('.')[1];
  let claims: { roles?: unknown; scp?: unknown } = {};
  try {
    claims = payload
      ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as object)
      : {};
  } catch {
    claims = {};
  }
  if (typeof claims.scp === 'string') {
    return {
      delegated: true,
      values: new Set(claims.scp.split(/\s+/).map((s) => s.toLowerCase())),
    };
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  return {
    delegated: false,
    values: new Set(
      roles.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase()),
    ),
  };
}

/** Refuses the request with Graph's own 403 body when what is held satisfies no alternative. */
export function enforcePermissions(
  held: HeldPermissions | undefined,
  rule: PermissionRule | undefined,
  request: GraphRequest,
): void {
  if (held === undefined || rule === undefined) return;
  const grant: Held =
    held === 'token'
      ? fromToken(request.authorization)
      : { delegated: false, values: new Set(held.map((p) => p.toLowerCase())) };
  const alternatives = grant.delegated ? rule.delegated : rule.application;
  if (alternatives.some((set) => set.every((p) => grant.values.has(p.toLowerCase())))) return;
  if (rule.service === 'directory') {
    // The directory names no permission (e.g. microsoftgraph/microsoft-graph-docs issue 746).
    throw new GraphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  // Intune names the scopes it would take (as in srozemuller/IntuneAssistant issue 6).
  const scopes = alternatives.map((set) => set.join(' and ')).join(', ');
  throw new GraphError(
    403,
    'Forbidden',
    `Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes} - Operation ID (for customer support): ${request.requestId}`,
  );
}
