/**
 * Which Microsoft Graph permission each operation of the bot needs, least privileged
 * first: the one table README.md, docs/DEPLOY.md, infra/main.bicep and the readiness
 * checks (`check setup`, `npm run doctor`) are held to (test/infra/permissionsAgree.test.ts).
 * Sources: the "Permissions" table of each operation's Graph reference page, named below.
 */
export type GraphMode = 'app' | 'delegated';

/** What the bot calls Graph for. */
export type GraphOperation =
  | 'readDevices'
  | 'resetPasscode'
  | 'checkMemberGroups'
  | 'findPeople'
  | 'readServicePrincipals'
  | 'readConfiguration'
  | 'readOmaSecret';

/** What a permission is for; readiness message keys use it. */
export type PermissionPurpose =
  | 'readDevices'
  | 'resetPasscode'
  | 'readUsers'
  | 'groupMembership'
  | 'readApplications'
  | 'readConfiguration';

export interface RequiredPermission {
  name: string;
  purpose: PermissionPurpose;
  /** Broader permissions that also work: accepted with a warning (least privilege). */
  broader: readonly string[];
  /** Needed only when HELPDESK_GROUP_IDS or ADMIN_GROUP_IDS are set. */
  onlyWithGroups?: boolean;
  /** Modes that need it (both when omitted). */
  modes?: readonly GraphMode[];
}

const DIRECTORY_READ = ['Directory.Read.All', 'Directory.ReadWrite.All'];

/** Every permission the bot needs, in the order the docs list them. */
export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  {
    // "List managedDevices" / "Get managedDevice" (Graph v1.0 reference, Permissions).
    name: 'DeviceManagementManagedDevices.Read.All',
    purpose: 'readDevices',
    broader: ['DeviceManagementManagedDevices.ReadWrite.All'],
  },
  {
    // "resetPasscode action" (Graph v1.0 reference, Permissions): nothing else covers it.
    name: 'DeviceManagementManagedDevices.PrivilegedOperations.All',
    purpose: 'resetPasscode',
    broader: [],
  },
  {
    // "List users" (search by a person's name; app-only needs User.Read.All, User.ReadBasic.All
    // is delegated only) and "directoryObject: checkMemberGroups", Group memberships for other
    // users: application User.Read.All and GroupMember.Read.All (or Directory.Read.All).
    name: 'User.Read.All',
    purpose: 'readUsers',
    broader: ['User.ReadWrite.All', ...DIRECTORY_READ],
    modes: ['app'],
  },
  {
    // Same pages, delegated: User.ReadBasic.All (with GroupMember.Read.All for the groups).
    name: 'User.ReadBasic.All',
    purpose: 'readUsers',
    broader: ['User.Read.All', 'User.ReadWrite.All', ...DIRECTORY_READ],
    modes: ['delegated'],
  },
  {
    name: 'GroupMember.Read.All',
    purpose: 'groupMembership',
    broader: ['Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY_READ],
    onlyWithGroups: true,
  },
  {
    // "List servicePrincipals" (Graph v1.0 reference, Permissions).
    name: 'Application.Read.All',
    purpose: 'readApplications',
    broader: ['Application.ReadWrite.All', ...DIRECTORY_READ],
  },
  {
    // "List deviceConfigurations", "List deviceConfigurationAssignments" and (beta)
    // "List configurationPolicies" / settings / assignments (Graph reference, Permissions).
    name: 'DeviceManagementConfiguration.Read.All',
    purpose: 'readConfiguration',
    broader: ['DeviceManagementConfiguration.ReadWrite.All'],
  },
];

/** The permissions a mode needs, in the docs' order. */
export function requiredPermissions(mode: GraphMode): RequiredPermission[] {
  return REQUIRED_PERMISSIONS.filter((p) => !p.modes || p.modes.includes(mode));
}

/** The permission names one operation needs in a mode (all of them together). */
export function permissionsFor(operation: GraphOperation, mode: GraphMode): string[] {
  switch (operation) {
    case 'readDevices':
      return ['DeviceManagementManagedDevices.Read.All'];
    case 'resetPasscode':
      return ['DeviceManagementManagedDevices.PrivilegedOperations.All'];
    case 'findPeople':
      return [mode === 'app' ? 'User.Read.All' : 'User.ReadBasic.All'];
    case 'checkMemberGroups':
      return [mode === 'app' ? 'User.Read.All' : 'User.ReadBasic.All', 'GroupMember.Read.All'];
    case 'readServicePrincipals':
      return ['Application.Read.All'];
    case 'readConfiguration':
      return ['DeviceManagementConfiguration.Read.All'];
    case 'readOmaSecret':
      // "getOmaSettingPlainTextValue function": "This API involves potential secret values;
      // ReadWrite permission is required." Optional: without it a masked value reads "set, hidden".
      return ['DeviceManagementConfiguration.ReadWrite.All'];
  }
}

/**
 * The permissions Intune names in its 403, e.g. "Application is not authorized to perform
 * this operation. Application must have one of the following scopes: A, B - Operation ID ..."
 * (as reported in github.com/srozemuller/IntuneAssistant/issues/6). Empty when it names none.
 */
export function scopesInForbiddenMessage(message: string): string[] {
  const match = /one of the following scopes:\s*([^\n]*)/i.exec(message);
  if (!match?.[1]) return [];
  const list = match[1].split(/\s+-\s+|\.\s|\.$/)[0] ?? '';
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[A-Za-z]+(\.[A-Za-z]+)+$/.test(s));
}
