import { type ActionState, type Device, Passcode, type ResetResult } from '../domain/ports';

/** Only what the bot shows or reasons about (beta: deviceType and joinType exist only there). */
export const DEVICE_SELECT = [
  'id',
  'deviceName',
  'userPrincipalName',
  'userDisplayName',
  'emailAddress',
  'model',
  'manufacturer',
  'serialNumber',
  'operatingSystem',
  'osVersion',
  'deviceType',
  'joinType',
  'deviceEnrollmentType',
  'azureADRegistered',
  'azureADDeviceId',
  'lastSyncDateTime',
] as const;

/**
 * Only beta has these (Graph v1.0 managedDevice has neither): read them with a single-device
 * beta GET, never from list rows (which report them 'unknown' or wrong: microsoftgraph/
 * microsoft-graph-docs issues 17851 and 18648).
 */
export const BETA_ONLY_DEVICE_FIELDS = ['deviceType', 'joinType'] as const;
/** What v1.0 carries: search and the device read use v1.0 for these (beta is not for production). */
export const V1_DEVICE_SELECT = DEVICE_SELECT.filter(
  (key) => !(BETA_ONLY_DEVICE_FIELDS as readonly string[]).includes(key),
);

type Json = Record<string, unknown>;

const text = (v: unknown): string | null | undefined =>
  typeof v === 'string' ? v : v === null ? null : undefined;

/** A managedDevice from Graph as a Device; undefined when it has no id. */
export function toDevice(raw: unknown): Device | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Json;
  if (typeof r.id !== 'string' || !r.id) return undefined;
  const device: Device = {
    id: r.id,
    deviceName: typeof r.deviceName === 'string' ? r.deviceName : '',
  };
  for (const key of DEVICE_SELECT) {
    if (key === 'id' || key === 'deviceName' || key === 'azureADRegistered') continue;
    const value = text(r[key]);
    if (value !== undefined) device[key] = value;
  }
  if (typeof r.azureADRegistered === 'boolean' || r.azureADRegistered === null) {
    device.azureADRegistered = r.azureADRegistered;
  }
  return device;
}

const ACTION_STATES: ReadonlySet<string> = new Set<ActionState>([
  'none',
  'pending',
  'canceled',
  'active',
  'done',
  'failed',
  'notSupported',
]);

const RESET_RESULT_TYPE = '#microsoft.graph.resetpasscodeactionresult';

function isResetEntry(entry: Json): boolean {
  const type = typeof entry['@odata.type'] === 'string' ? entry['@odata.type'].toLowerCase() : '';
  const name = typeof entry.actionName === 'string' ? entry.actionName.toLowerCase() : '';
  return name === 'resetpasscode' || type === RESET_RESULT_TYPE;
}

const timeOf = (entry: Json): number => {
  const stamp = text(entry.lastUpdatedDateTime) ?? text(entry.startDateTime);
  const at = stamp ? Date.parse(stamp) : NaN;
  return Number.isNaN(at) ? 0 : at;
};

/**
 * The resetPasscode entry of a device's deviceActionResults (the latest, should
 * there be several). The passcode goes straight into a Passcode and nowhere else.
 */
export function toResetResult(rawDevice: unknown): ResetResult | undefined {
  const results = (rawDevice as Json | null)?.deviceActionResults;
  if (!Array.isArray(results)) return undefined;
  const entries = results.filter(
    (e): e is Json => !!e && typeof e === 'object' && isResetEntry(e as Json),
  );
  if (entries.length === 0) return undefined;
  const entry = entries.reduce((latest, e) => (timeOf(e) >= timeOf(latest) ? e : latest));
  const rawState = typeof entry.actionState === 'string' ? entry.actionState : '';
  // A state we do not know (Graph adds enum members) is treated as still in progress.
  const actionState = (ACTION_STATES.has(rawState) ? rawState : 'pending') as ActionState;
  const result: ResetResult = { actionState };
  const start = text(entry.startDateTime);
  const updated = text(entry.lastUpdatedDateTime);
  if (start) result.startDateTime = start;
  if (updated) result.lastUpdatedDateTime = updated;
  if (typeof entry.errorCode === 'number' && Number.isInteger(entry.errorCode))
    result.errorCode = entry.errorCode;
  if (actionState === 'done' && typeof entry.passcode === 'string' && entry.passcode) {
    result.passcode = new Passcode(entry.passcode);
  }
  return result;
}
