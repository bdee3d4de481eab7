/**
 * The shape of a tenant file (src/emulator/tenants/*.json). Strings of the form
 * "@now", "@now-2h", "@now+5m" (units s, m, h, d) are turned into ISO timestamps
 * relative to the moment the tenant is loaded, so the demo data never goes stale.
 * Members whose name starts with "_" are emulator-only and never sent over HTTP.
 */
export type ResetOutcomeState = 'done' | 'failed' | 'pending' | 'canceled' | 'notSupported';

export interface DeviceBehaviour {
  /** How a resetPasscode on this device ends (default: done for windowsPhone, else notSupported). */
  resetOutcome?: ResetOutcomeState;
  /** errorCode reported with a failed outcome (Int32). */
  errorCode?: number;
  /** Free text for people reading the tenant file. */
  note?: string;
}

/** A managed device as stored: Graph property names, any subset; missing ones come back null. */
export interface DeviceRecord {
  id: string;
  deviceName: string;
  [property: string]: unknown;
  _emulator?: DeviceBehaviour;
}

export interface TenantUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string | null;
  [property: string]: unknown;
}

export interface TenantGroup {
  id: string;
  displayName: string;
  /** Ids of member users and member groups (nested groups make membership transitive). */
  members: string[];
  [property: string]: unknown;
}

export interface TenantServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  [property: string]: unknown;
}

export interface TenantAssignment {
  id: string;
  target: { '@odata.type': string; groupId?: string; [property: string]: unknown };
}

export interface TenantDeviceConfiguration {
  '@odata.type': string;
  id: string;
  displayName: string;
  assignments?: TenantAssignment[];
  [property: string]: unknown;
}

export interface TenantData {
  tenantId: string;
  displayName: string;
  /** Verified domain names; the first is the default. */
  domains?: string[];
  users: TenantUser[];
  groups: TenantGroup[];
  servicePrincipals: TenantServicePrincipal[];
  deviceConfigurations: TenantDeviceConfiguration[];
  /** Compliance policies (same shape: @odata.type, settings, assignments); optional. */
  deviceCompliancePolicies?: TenantDeviceConfiguration[];
  managedDevices: DeviceRecord[];
  [property: string]: unknown;
}
