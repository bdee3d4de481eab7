import { randomInt } from 'node:crypto';
import type { DeviceRecord, ResetOutcomeState } from './tenantData';

/**
 * resetPasscode actions, computed lazily from timestamps (no timers, so a
 * 100k-device tenant costs nothing). A reset is `pending` for the first half of
 * the delay, `active` for the second half, then reaches its outcome; an outcome
 * of `pending` means the device never checks in and the action stays pending.
 */
export interface ResetOutcome {
  state: ResetOutcomeState;
  errorCode?: number;
}

interface ResetEntry {
  startMs: number;
  delayMs: number;
  outcome: ResetOutcome;
  /** Generated when the reset is accepted; shown only once the action is done. Null: removed (iOS). */
  passcode: string | null;
  /** Set by completeReset(): the action finished at this moment with this outcome. */
  forced?: { state: 'done' | 'failed'; errorCode: number; atMs: number };
}

/** Microsoft documents no errorCode meanings; this is just a plausible non-zero Int32. */
export const DEFAULT_FAILURE_CODE = -2016345060;
/** The admin center shows a generated passcode for seven days. */
const PASSCODE_VISIBLE_MS = 7 * 86_400_000;

export class ResetTracker {
  private readonly entries = new Map<string, ResetEntry>();
  private readonly nextOutcomes = new Map<string, ResetOutcome>();
  private readonly calls = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /**
   * An accepted resetPasscode POST: replaces any earlier entry with a fresh one.
   * `byPlatform`: how Intune ends it on this kind of device (platformOutcomes.ts), unless a
   * test or the tenant file says otherwise.
   */
  start(device: DeviceRecord, delayMs: number, byPlatform?: PlatformOutcome): void {
    const key = device.id.toLowerCase();
    const outcome =
      this.nextOutcomes.get(key) ??
      configuredOutcome(device) ??
      byPlatform?.outcome ??
      legacy(device);
    this.nextOutcomes.delete(key);
    const passcode = byPlatform?.removesPasscode ? null : newPasscode();
    this.entries.set(key, { startMs: this.now(), delayMs, outcome, passcode });
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  setNextOutcome(deviceId: string, outcome: ResetOutcome): void {
    this.nextOutcomes.set(deviceId.toLowerCase(), outcome);
  }

  complete(deviceId: string, state: 'done' | 'failed', errorCode?: number): void {
    const entry = this.entries.get(deviceId.toLowerCase());
    if (!entry) throw new Error(`No resetPasscode was issued for device ${deviceId}`);
    entry.forced = {
      state,
      errorCode: state === 'failed' ? (errorCode ?? DEFAULT_FAILURE_CODE) : 0,
      atMs: this.now(),
    };
  }

  callCount(deviceId: string): number {
    return this.calls.get(deviceId.toLowerCase()) ?? 0;
  }

  /** The resetPasscodeActionResult as Graph would show it now, or undefined if never reset here. */
  actionResult(deviceId: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(deviceId.toLowerCase());
    if (!entry) return undefined;
    const { state, updatedMs, errorCode } = this.stateOf(entry);
    const visible = state === 'done' && this.now() - updatedMs < PASSCODE_VISIBLE_MS;
    return {
      '@odata.type': '#microsoft.graph.resetPasscodeActionResult',
      actionName: 'resetPasscode',
      actionState: state,
      startDateTime: new Date(entry.startMs).toISOString(),
      lastUpdatedDateTime: new Date(updatedMs).toISOString(),
      passcode: visible ? entry.passcode : null,
      errorCode,
    };
  }

  private stateOf(entry: ResetEntry): { state: string; updatedMs: number; errorCode: number } {
    if (entry.forced) {
      return {
        state: entry.forced.state,
        updatedMs: entry.forced.atMs,
        errorCode: entry.forced.errorCode,
      };
    }
    const elapsed = this.now() - entry.startMs;
    if (entry.outcome.state === 'pending')
      return { state: 'pending', updatedMs: entry.startMs, errorCode: 0 };
    if (elapsed < entry.delayMs / 2)
      return { state: 'pending', updatedMs: entry.startMs, errorCode: 0 };
    if (elapsed < entry.delayMs) {
      return {
        state: 'active',
        updatedMs: entry.startMs + Math.floor(entry.delayMs / 2),
        errorCode: 0,
      };
    }
    // An errorCode a test or tenant file gives is kept for any end state (Graph's is a plain Int32).
    const errorCode =
      entry.outcome.errorCode ?? (entry.outcome.state === 'failed' ? DEFAULT_FAILURE_CODE : 0);
    return { state: entry.outcome.state, updatedMs: entry.startMs + entry.delayMs, errorCode };
  }
}

/** How a reset ends on a kind of device, and whether it leaves a passcode (platformOutcomes.ts). */
export interface PlatformOutcome {
  outcome: ResetOutcome;
  /** iOS/iPadOS Remove passcode: done with passcode null. */
  removesPasscode: boolean;
}

/** The device's own outcome from the tenant file, if it has one. */
function configuredOutcome(device: DeviceRecord): ResetOutcome | undefined {
  const behaviour = device._emulator;
  if (!behaviour?.resetOutcome) return undefined;
  return behaviour.errorCode === undefined
    ? { state: behaviour.resetOutcome }
    : { state: behaviour.resetOutcome, errorCode: behaviour.errorCode };
}

/** Without platform knowledge (a caller that gives none): Windows 10 Mobile only. */
function legacy(device: DeviceRecord): ResetOutcome {
  return { state: device.deviceType === 'windowsPhone' ? 'done' : 'notSupported' };
}

/** A fresh random 6–8 digit passcode (leading zeros allowed, as on a phone keypad). */
function newPasscode(): string {
  const length = randomInt(6, 9);
  let digits = '';
  for (let i = 0; i < length; i++) digits += String(randomInt(0, 10));
  return digits;
}
