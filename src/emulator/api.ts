import type { HeldPermissions } from './permissions';
import type { TenantData } from './tenantData';

export type { TenantData } from './tenantData';

/**
 * The Intune Graph emulator's programmatic face, for tests, the demo and benchmarks.
 * Over HTTP it speaks the Graph subset the bot uses; this API starts it and steers
 * the behaviours a test needs (latency, throttling, faults, action outcomes).
 */
export interface EmulatorOptions {
  /** 0 picks a free port. Always binds 127.0.0.1. */
  port?: number;
  /** Path to a tenant JSON file; defaults to the shipped demo tenant. */
  tenantFile?: string;
  /**
   * A tenant given as data (wins over tenantFile): e.g. readTenantFile() from
   * ./tenant with a service principal, profile or assignment removed. Copied, not kept.
   */
  tenant?: TenantData;
  /** Add this many synthetic devices (benchmarks). */
  syntheticDevices?: number;
  /** How long a reset stays pending before done/failed, in ms (default 3000). */
  resetDelayMs?: number;
  /** Added to every response, in ms. */
  latencyMs?: number;
  /** Print one line per request. */
  log?: boolean;
  /**
   * Answer managedDevices $filter through per-tenant indexes (default true), as an
   * indexed service would. false reads every device for every filter: the same
   * answers, slower; tests compare the two and benchmarks can show the difference.
   */
  deviceIndexes?: boolean;
  /** Clock for reset progress and relative tenant times (tests can move time). Default Date.now. */
  now?: () => number;
  /** How real Graph behaves where it differs from the convenient answer (flags of `npm run emulator`). */
  permissions?: GraphBehaviour['permissions'];
  listRowsDiffer?: boolean;
  passcodeOnlyOnBeta?: boolean;
  pinRecovery?: GraphBehaviour['pinRecovery'];
  maskOmaValues?: boolean;
}

/**
 * Switches that make the emulator behave as Graph is documented and reported to, where the
 * plain emulator is kinder. All off by default; `--real-tenant` (or realTenantBehaviour) sets all.
 */
export interface GraphBehaviour {
  /**
   * The permissions the app holds. When set, each request (each $batch sub-request too) is
   * checked against what its operation needs and refused with Graph's own 403 body.
   * 'token' reads them from the bearer token's roles (application) or scp (delegated).
   */
  permissions?: HeldPermissions;
  /**
   * List rows differ from the single GET, as reported for beta: deviceType, joinType and
   * chassisType come back 'unknown' (deviceActionResults are always empty in lists).
   */
  listRowsDiffer: boolean;
  /** The reset's passcode is in beta reads of deviceActionResults only, not in v1.0 ones. */
  passcodeOnlyOnBeta: boolean;
  /**
   * How the tenant turns on PIN recovery: the seed's Windows 10 custom profile (default), a
   * Settings Catalog policy (beta configurationPolicies) or an Identity Protection profile.
   */
  pinRecovery: 'customProfile' | 'settingsCatalog' | 'identityProtection';
  /** Custom profile OMA values come back as "****" with isEncrypted: true. */
  maskOmaValues: boolean;
}

/** Every switch on, as a real tenant set up the modern way answers. */
export const REAL_TENANT_BEHAVIOUR: Readonly<Omit<GraphBehaviour, 'permissions'>> = {
  listRowsDiffer: true,
  passcodeOnlyOnBeta: true,
  pinRecovery: 'settingsCatalog',
  maskOmaValues: true,
};

export interface EmulatorRequestRecord {
  method: string;
  /** Path and query as received, e.g. /beta/deviceManagement/managedDevices?$filter=... */
  url: string;
  status: number;
  /** True for a sub-request of a $batch. */
  inBatch: boolean;
  authorization?: string;
}

export interface EmulatorHandle {
  /** Base URL without version, e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  /** Every request seen (batch sub-requests included), in order. */
  requests: EmulatorRequestRecord[];
  resetRequests(): void;
  /**
   * Next `count` requests matching `pathPattern` (any if omitted) answer 429 with Retry-After.
   * The pattern is tested against path and query (e.g. /beta/deviceManagement/managedDevices/x).
   * Batch sub-requests count one by one; the $batch envelope itself is hit only by a rule
   * whose pattern was given and matches it.
   */
  throttle(count: number, retryAfterSeconds: number, pathPattern?: RegExp): void;
  /**
   * Next `count` requests matching `pathPattern` answer `status` (5xx, or any 4xx such as 403)
   * with a Graph error body; optionally with a Retry-After header. Same matching as throttle().
   */
  fault(count: number, status: number, pathPattern?: RegExp, retryAfterSeconds?: number): void;
  /**
   * Next `count` top-level requests matching `pathPattern` (any if omitted) are carried out at
   * once and answered `delayMs` later (a slow Graph; a resetPasscode POST is still accepted).
   */
  slow(count: number, delayMs: number, pathPattern?: RegExp): void;
  /**
   * Next `count` top-level requests matching `pathPattern` (any if omitted) are carried out at
   * once and answered only at release(): Graph still "thinking" for as long as a test needs.
   */
  hold(count: number, pathPattern?: RegExp): void;
  /** How many held answers are waiting for release(). */
  held(): number;
  /** Answers every held request; returns how many were held. */
  release(): number;
  setLatency(ms: number): void;
  /** Changes Graph behaviour switches from now on (see GraphBehaviour); permissions: null lifts enforcement. */
  setBehaviour(
    change: Partial<Omit<GraphBehaviour, 'permissions'>> & { permissions?: HeldPermissions | null },
  ): void;
  setResetDelay(ms: number): void;
  /** Forces the outcome of the next reset of a device (used once, by the next accepted POST). */
  setResetOutcome(
    deviceId: string,
    outcome: {
      state: 'done' | 'failed' | 'pending' | 'canceled' | 'notSupported';
      errorCode?: number;
    },
  ): void;
  /** Marks the device's latest reset finished now (done with its passcode, unless told otherwise). Throws if none. */
  completeReset(deviceId: string, state?: 'done' | 'failed', errorCode?: number): void;
  /** Number of resetPasscode POSTs per device id that were accepted (204). */
  resetCalls(deviceId: string): number;
  /** Tenant id of the emulated tenant. */
  tenantId: string;
  close(): Promise<void>;
}
