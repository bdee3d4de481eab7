import type { Device, ResetResult } from './index';

/** The bot's only way to Intune. The Graph implementation lives in graphIntune.ts. */
export interface Intune {
  /** Reads the query (UPN/e-mail, serial number, device name) and searches. */
  searchDevices(query: string, limit: number): Promise<DeviceSearchResult>;
  getDevice(id: string): Promise<Device | undefined>;
  /** POST resetPasscode; resolves when Graph answered 204. */
  resetPasscode(id: string): Promise<GraphCallInfo>;
  /** Single-device GET of deviceActionResults; undefined when no resetPasscode entry exists. */
  getResetResult(id: string): Promise<ResetResult | undefined>;
  /** Batched (at most 20 per $batch) single-device reads. */
  getResetResults(ids: readonly string[]): Promise<Map<string, ResetResultOrError>>;
  /** `wanted`: the checks of the platforms in use (default: the seed's four, Windows 10 Mobile). */
  checkPrerequisites(
    tenantId: string,
    wanted?: ReadonlySet<PrerequisiteId>,
  ): Promise<PrerequisiteReport>;
  /** Transitive membership: which of groupIds the user belongs to. */
  checkMemberGroups(userId: string, groupIds: readonly string[]): Promise<string[]>;
  /** Cheap reachability probe for /readyz. */
  ping(): Promise<void>;
}

export type ResetResultOrError =
  { ok: true; result: ResetResult | undefined } | { ok: false; error: IntuneError };

export interface GraphCallInfo {
  requestId?: string;
}

export interface DeviceSearchResult {
  devices: Device[];
  /** True when more devices matched than `limit`. */
  truncated: boolean;
  /** How many matched, when Graph said (@odata.count) or when all pages were read. */
  totalKnown?: number;
  /** How the query was read: which Graph filters were tried ('person': Graph users). */
  interpretedAs: Array<'userPrincipalName' | 'serialNumber' | 'deviceName' | 'person'>;
  /**
   * People whose name or sign-in name starts with the query, when more than one matched:
   * their devices were not read ("several people match: which one?").
   */
  people?: PersonMatch[];
  /** More people matched than `people` holds. */
  morePeople?: boolean;
  /** The one person who matched; their devices come first in `devices`. */
  person?: PersonMatch;
}

/** A directory user found by name (Graph "List users"). */
export interface PersonMatch {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export type PrerequisiteId =
  | 'pinResetServicePrincipal'
  | 'pinResetClientPrincipal'
  | 'enablePinRecoveryProfile'
  | 'enablePinRecoveryAssignment'
  /** Android Enterprise: a device or work-profile passcode policy assigned (eligibility.ts rows). */
  | 'androidEnterprisePasscodePolicy'
  /** AOSP: a device passcode policy assigned. */
  | 'aospPasscodePolicy';

/** Where a tenant turns PIN recovery on (each check says which it found). */
export type PinRecoverySource = 'customProfile' | 'settingsCatalog' | 'identityProtection';

export interface PrerequisiteCheck {
  id: PrerequisiteId;
  passed: boolean;
  /** Non-localized detail (e.g. profile name, group ids) for the card. */
  detail?: string;
  /** Passed, but on evidence that could not be read in full (an OMA value Graph masks). */
  unconfirmed?: boolean;
  /** The ways PIN recovery was found set (enablePinRecoveryProfile / Assignment). */
  sources?: PinRecoverySource[];
}

export interface PrerequisiteReport {
  tenantId: string;
  checks: PrerequisiteCheck[];
  allPassed: boolean;
}

/** A Graph failure, typed. Never carries a token or a passcode. */
export class IntuneError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
    /** On a 403: the permission(s) the app lacks for what it tried (see intune/permissions.ts). */
    readonly missingPermissions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'IntuneError';
  }

  /** Graph refused: the app (or the signed-in technician) lacks a permission. */
  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isThrottled(): boolean {
    return this.status === 429;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export type InvalidQueryReason = 'empty' | 'tooLong' | 'controlCharacters';

/** The search text cannot be used (nothing was sent to Graph). `reason` is a code for the UI to localize. */
export class InvalidQueryError extends Error {
  constructor(
    readonly reason: InvalidQueryReason,
    readonly maxLength?: number,
  ) {
    super(`Invalid device search query: ${reason}`);
    this.name = 'InvalidQueryError';
  }
}
