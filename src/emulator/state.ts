import type { EmulatorRequestRecord, GraphBehaviour } from './api';
import { FaultInjector } from './faults';
import { ResetTracker } from './resets';
import { DeviceStore } from './deviceStore';
import type { TenantData } from './tenantData';

/** Everything a running emulator holds; the handlers read and change it. */
export class EmulatorState {
  readonly devices = new DeviceStore();
  readonly resets: ResetTracker;
  readonly faults = new FaultInjector();
  readonly requests: EmulatorRequestRecord[] = [];
  /** http://127.0.0.1:port, known once the server listens. */
  baseUrl = 'http://127.0.0.1';
  latencyMs: number;
  resetDelayMs: number;
  readonly log: boolean;
  /** False answers every $filter by reading all devices (the reference the indexes are tested against). */
  readonly deviceIndexes: boolean;
  /** How closely to behave like real Graph (api.ts). */
  readonly behaviour: GraphBehaviour = {
    listRowsDiffer: false,
    passcodeOnlyOnBeta: false,
    pinRecovery: 'customProfile',
    maskOmaValues: false,
  };

  get permissions(): GraphBehaviour['permissions'] {
    return this.behaviour.permissions;
  }

  constructor(
    /** The tenant with relative times resolved; managedDevices live in `devices`. */
    readonly tenant: TenantData,
    readonly now: () => number,
    settings: { latencyMs: number; resetDelayMs: number; log: boolean; deviceIndexes?: boolean },
  ) {
    this.resets = new ResetTracker(now);
    this.latencyMs = settings.latencyMs;
    this.resetDelayMs = settings.resetDelayMs;
    this.log = settings.log;
    this.deviceIndexes = settings.deviceIndexes ?? true;
    for (const device of tenant.managedDevices) this.devices.add(device);
  }

  get tenantId(): string {
    return this.tenant.tenantId;
  }
}
