import { transitiveGroups } from './handlers/users';
import type { PlatformOutcome } from './resets';
import type { EmulatorState } from './state';
import type { DeviceRecord, TenantDeviceConfiguration } from './tenantData';

/**
 * How Intune ends a resetPasscode, by kind of device, as Microsoft documents it (the
 * emulator's own knowledge, kept apart from the bot's eligibility table on purpose):
 * - Windows 10 Mobile: a new passcode (the seed).
 * - Android Enterprise (dedicated, fully managed, work profiles) and AOSP: a new passcode,
 *   but "before initiating a passcode reset, ensure that the passcode requirement is
 *   enforced via device configuration policies, otherwise, the reset fails"
 *   (Intune "Remote device action: reset passcode", 2025): without a passcode profile
 *   assigned to the device the action ends `failed` with ANDROID_NO_PASSCODE_POLICY_CODE.
 * - iOS/iPadOS: "Remove passcode": done, and passcode null (Intune "Remote device action:
 *   remove passcode"); User Enrollment is not supported.
 * - Everything else (device administrator, desktops, macOS): notSupported (an inference:
 *   Graph accepts the POST for any managed device).
 */

/** Microsoft documents no errorCode values; the emulator's own non-zero Int32 for this failure. */
export const ANDROID_NO_PASSCODE_POLICY_CODE = -2016281112;

const lower = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/** Profile and compliance policy types that carry an Android Enterprise or AOSP passcode. */
const DEVICE_OWNER_TYPES = [
  '#microsoft.graph.androiddeviceownergeneraldeviceconfiguration',
  '#microsoft.graph.androiddeviceownercompliancepolicy',
];
const WORK_PROFILE_TYPES = [
  '#microsoft.graph.androidworkprofilegeneraldeviceconfiguration',
  '#microsoft.graph.androidworkprofilecompliancepolicy',
  ...DEVICE_OWNER_TYPES,
];
const AOSP_TYPES = [
  '#microsoft.graph.aospdeviceownerdeviceconfiguration',
  '#microsoft.graph.aospdeviceownercompliancepolicy',
];

const DEVICE_OWNER_ENROLLMENTS = [
  'androidenterprisededicateddevice',
  'androidenterprisefullymanaged',
  'androidenterprisecorporateworkprofile',
];
const AOSP_ENROLLMENTS = [
  'androidaospuserowneddeviceenrollment',
  'androidaospuserlessdeviceenrollment',
];
const APPLE_USER_ENROLLMENTS = [
  'appleuserenrollment',
  'appleuserenrollmentwithserviceaccount',
  'appleaccountdrivenuserenrollment',
];

export function platformOutcome(state: EmulatorState, device: DeviceRecord): PlatformOutcome {
  const os = lower(device.operatingSystem);
  const enrollment = lower(device.deviceEnrollmentType);
  const deviceType = lower(device.deviceType);
  const newPasscode = (state_: 'done' | 'notSupported' = 'done'): PlatformOutcome => ({
    outcome: { state: state_ },
    removesPasscode: false,
  });
  if (deviceType === 'windowsphone') return newPasscode();
  if (os === 'ios' || os === 'ipados') {
    if (APPLE_USER_ENROLLMENTS.includes(enrollment)) return newPasscode('notSupported');
    return { outcome: { state: 'done' }, removesPasscode: true };
  }
  if (os.startsWith('android')) {
    const types = AOSP_ENROLLMENTS.includes(enrollment)
      ? AOSP_TYPES
      : DEVICE_OWNER_ENROLLMENTS.includes(enrollment)
        ? DEVICE_OWNER_TYPES
        : deviceType === 'androidforwork'
          ? WORK_PROFILE_TYPES
          : undefined;
    if (!types) return newPasscode('notSupported');
    if (passcodeProfileApplies(state, device, types)) return newPasscode();
    return {
      outcome: { state: 'failed', errorCode: ANDROID_NO_PASSCODE_POLICY_CODE },
      removesPasscode: false,
    };
  }
  return newPasscode('notSupported');
}

/** A profile of one of `types` that requires a passcode and is assigned to this device. */
function passcodeProfileApplies(
  state: EmulatorState,
  device: DeviceRecord,
  types: readonly string[],
): boolean {
  const objects = [device.id, device.azureADDeviceId, device.userId].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  const groups = new Set(objects.flatMap((id) => [...transitiveGroups(state, id)]));
  const policies = [
    ...state.tenant.deviceConfigurations,
    ...(state.tenant.deviceCompliancePolicies ?? []),
  ];
  return policies.some(
    (profile) =>
      types.includes(lower(profile['@odata.type'])) &&
      requiresPasscode(profile) &&
      assignedTo(profile, groups, typeof device.userId === 'string' && device.userId !== ''),
  );
}

/** passwordRequiredType / workProfilePasswordRequiredType other than deviceDefault. */
export function requiresPasscode(profile: TenantDeviceConfiguration): boolean {
  return ['passwordRequiredType', 'workProfilePasswordRequiredType', 'passwordRequired'].some(
    (name) => {
      const value = profile[name];
      return value === true || (typeof value === 'string' && lower(value) !== 'devicedefault');
    },
  );
}

function assignedTo(
  profile: TenantDeviceConfiguration,
  groups: ReadonlySet<string>,
  hasUser: boolean,
): boolean {
  let included = false;
  for (const assignment of profile.assignments ?? []) {
    const type = lower(assignment.target['@odata.type']);
    const group = lower(assignment.target.groupId);
    if (type === '#microsoft.graph.exclusiongroupassignmenttarget' && groups.has(group)) {
      return false;
    }
    if (type === '#microsoft.graph.alldevicesassignmenttarget') included = true;
    if (type === '#microsoft.graph.alllicensedusersassignmenttarget' && hasUser) included = true;
    if (type === '#microsoft.graph.groupassignmenttarget' && groups.has(group)) included = true;
  }
  return included;
}
