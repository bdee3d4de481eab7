import type { PrerequisiteId } from '../ports';
import type { Device } from '../shared';

/**
 * Which devices can have their passcode reset, and what the reset does, as data: one
 * row per platform and management mode (PLATFORM_RULES). Everything else is refused
 * with a reason. Adding a platform is adding a row here and its strings in i18n.
 *
 * Sources (named again beside the rows that rely on them):
 * - [seed] ../shared/seed: Microsoft's "Reset the passcode on Windows devices".
 * - [reset] Intune "Remote device action: reset passcode" (2025),
 *   https://learn.microsoft.com/intune/device-management/actions/reset-passcode
 * - [remove] Intune "Remote device action: remove passcode" (2025/2026),
 *   https://learn.microsoft.com/intune/device-management/actions/remove-passcode
 * - [old] Intune "Reset or remove a device passcode in Intune" (2022 edition),
 *   https://learn.microsoft.com/mem/intune/remote-actions/device-passcode-reset
 * - [enum] Graph enums: deviceEnrollmentType, managementAgentType, deviceType,
 *   managedDeviceOwnerType, https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice
 *   (and intune-troubleshooting-deviceenrollmenttype, intune-devices-managementagenttype).
 */
export type IneligibleReason =
  | 'platformNotSupported'
  | 'osTooOld'
  | 'notAzureAdJoined'
  | 'insufficientData'
  /** A platform this deployment left out of RESET_PLATFORMS. */
  | 'notEnabledHere'
  /** Android device administrator: Intune cannot reset a passcode on Android 7.0 and later. */
  | 'deviceAdministrator'
  /** iOS/iPadOS (account-driven) User Enrollment: Remove passcode is not available. */
  | 'appleUserEnrollment';

export type EligibilityVerdict =
  | { eligible: true; platform: string }
  | { eligible: false; reason: IneligibleReason; platform?: string; detail?: string };

export type JoinRequirement = 'azureADJoined';

/** What Intune's resetPasscode does on a row's devices. */
export type ResetEffect = 'newDevicePasscode' | 'newWorkProfilePasscode' | 'passcodeRemoved';

/** What the requester receives when the reset is done. */
export type ResetDelivery =
  /** The new passcode, in the requester's 1:1 chat only, hidden after PASSCODE_VISIBLE_MINUTES. */
  | 'passcodePrivately'
  /** A notice that the passcode was removed: there is no secret to deliver. */
  | 'removalNotice';

/** How a supported row's reset behaves and is worded (i18n keys, en.json and zh-TW.json). */
export interface ResetBehaviour {
  effect: ResetEffect;
  delivers: ResetDelivery;
  /** Confirm card title ({device}). */
  confirmTitleKey: string;
  /** Confirm card lines saying precisely what happens to the device. */
  consequenceKeys: readonly string[];
  /** A line the technician must tick before Confirm works (a reset that leaves the device unprotected). */
  extraConfirmationKey?: string;
  /** Plain-language reason when Intune reports the reset failed / not supported. */
  failedReasonKey: string;
  notSupportedReasonKey: string;
  /** What `check setup` checks for this row when it is enabled. */
  prerequisites: readonly PrerequisiteId[];
}

interface RuleBase {
  /** Stable key (RESET_PLATFORMS uses it) and the display name (a product name, not translated). */
  platform: string;
  label: string;
  matches: (device: Device) => boolean;
  /** Lowest OS version allowed, dotted (compared numerically part by part). */
  minOsVersion?: string;
  minOsVersionName?: string;
  requiresJoin?: JoinRequirement;
}

export type PlatformRule =
  | (RuleBase & { supported: true; reset: ResetBehaviour })
  | (RuleBase & {
      supported: false;
      /** Why the row's devices are refused (default platformNotSupported). */
      refusal?: IneligibleReason;
    });

export type SupportedRule = Extract<PlatformRule, { supported: true }>;

const lower = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();
const isWindows = (d: Device): boolean => lower(d.operatingSystem).startsWith('windows');
/** "Android", and the "AndroidEnterprise"/"AndroidForWork"/"AndroidAOSP" spellings some tenants report. */
const isAndroid = (d: Device): boolean => lower(d.operatingSystem).startsWith('android');
const isAppleMobile = (d: Device): boolean => ['ios', 'ipados'].includes(lower(d.operatingSystem));
const enrolledAs =
  (...types: string[]) =>
  (d: Device): boolean =>
    isAndroid(d) && types.includes(lower(d.deviceEnrollmentType));
const WINDOWS_DESKTOP_TYPES = new Set([
  'desktop',
  'windowsrt',
  'winembedded',
  'windows10x',
  'surfacehub',
  'hololens',
  'cloudpc',
]);

/** deviceType values that say nothing about the form factor (v1.0 has no deviceType at all). */
const UNKNOWN_DEVICE_TYPES: ReadonlySet<string> = new Set(['', 'unknown', 'unknownfuturevalue']);

/** [enum] deviceEnrollmentType of iOS/iPadOS User Enrollment; [old]: "enrolled with User Enrollment: No". */
const APPLE_USER_ENROLLMENT_TYPES = [
  'appleuserenrollment',
  'appleuserenrollmentwithserviceaccount',
  'appleaccountdrivenuserenrollment',
];

/** [reset] "ensure that the passcode requirement is enforced ... otherwise, the reset fails." */
const ANDROID_ENTERPRISE_PREREQUISITES: readonly PrerequisiteId[] = [
  'androidEnterprisePasscodePolicy',
];
const AOSP_PREREQUISITES: readonly PrerequisiteId[] = ['aospPasscodePolicy'];

/** [reset] Device-level passcode reset: dedicated (COSU) and AOSP. */
const ANDROID_DEVICE_RESET = {
  effect: 'newDevicePasscode',
  delivers: 'passcodePrivately',
  confirmTitleKey: 'confirm.title',
  consequenceKeys: ['confirm.androidDevice.step1', 'confirm.androidDevice.step2'],
  failedReasonKey: 'notification.failed.reason.android',
  notSupportedReasonKey: 'notification.notSupported.reason.android',
} as const;

/** [reset] Work profile passcode reset: fully managed (COBO), COPE and BYOD work profile. */
const ANDROID_WORK_PROFILE_RESET = {
  effect: 'newWorkProfilePasscode',
  delivers: 'passcodePrivately',
  confirmTitleKey: 'confirm.title.workProfile',
  consequenceKeys: ['confirm.workProfile.step1', 'confirm.workProfile.step2'],
  failedReasonKey: 'notification.failed.reason.android',
  notSupportedReasonKey: 'notification.notSupported.reason.android',
  prerequisites: ANDROID_ENTERPRISE_PREREQUISITES,
} as const;

/**
 * [old] "This passcode is provided ... when running version 8.x or later" for device
 * owner and work profile; "work profile and running version 7.x and earlier: No".
 */
const ANDROID_8 = { minOsVersion: '8', minOsVersionName: 'Android 8.0' } as const;

/** Rows are tried in order; the first whose `matches` is true decides. */
export const PLATFORM_RULES: readonly PlatformRule[] = [
  // [seed] Windows 10 Mobile, Creators Update (10.0.15063) or later, Azure AD joined: exactly as written.
  {
    platform: 'windows10Mobile',
    label: 'Windows 10 Mobile',
    matches: (d) =>
      (isWindows(d) && lower(d.deviceType) === 'windowsphone') ||
      ['windows mobile', 'windows phone', 'windows 10 mobile'].includes(lower(d.operatingSystem)),
    supported: true,
    minOsVersion: '10.0.15063',
    minOsVersionName: 'Creators Update (10.0.15063)',
    requiresJoin: 'azureADJoined',
    reset: {
      effect: 'newDevicePasscode',
      delivers: 'passcodePrivately',
      confirmTitleKey: 'confirm.title',
      consequenceKeys: ['confirm.step1', 'confirm.step2'],
      failedReasonKey: 'notification.failed.reason',
      notSupportedReasonKey: 'notification.notSupported.reason',
      prerequisites: [
        'pinResetServicePrincipal',
        'pinResetClientPrincipal',
        'enablePinRecoveryProfile',
        'enablePinRecoveryAssignment',
      ],
    },
  },
  // [seed] and [reset]: Windows (desktop) is not supported.
  {
    platform: 'windows',
    label: 'Windows',
    matches: (d) => isWindows(d) && WINDOWS_DESKTOP_TYPES.has(lower(d.deviceType)),
    supported: false,
  },
  // [reset] Android Enterprise corporate-owned dedicated (COSU): device-level reset.
  // [enum] deviceEnrollmentType androidEnterpriseDedicatedDevice.
  {
    platform: 'androidDedicated',
    label: 'Android Enterprise dedicated',
    matches: enrolledAs('androidenterprisededicateddevice'),
    supported: true,
    ...ANDROID_8,
    reset: { ...ANDROID_DEVICE_RESET, prerequisites: ANDROID_ENTERPRISE_PREREQUISITES },
  },
  // [reset] Android Enterprise corporate-owned fully managed (COBO): work profile passcode reset.
  // [enum] deviceEnrollmentType androidEnterpriseFullyManaged.
  {
    platform: 'androidFullyManaged',
    label: 'Android Enterprise fully managed',
    matches: enrolledAs('androidenterprisefullymanaged'),
    supported: true,
    ...ANDROID_8,
    reset: ANDROID_WORK_PROFILE_RESET,
  },
  // [reset] Android Enterprise corporate-owned work profile (COPE): work profile passcode reset.
  // [enum] deviceEnrollmentType androidEnterpriseCorporateWorkProfile.
  {
    platform: 'androidCorporateWorkProfile',
    label: 'Android Enterprise corporate-owned work profile',
    matches: enrolledAs('androidenterprisecorporateworkprofile'),
    supported: true,
    ...ANDROID_8,
    reset: ANDROID_WORK_PROFILE_RESET,
  },
  // [reset] Android Open Source Project (AOSP): device-level reset, fails without a device
  // passcode policy. [enum] androidAOSPUserOwnedDeviceEnrollment (user-associated),
  // androidAOSPUserlessDeviceEnrollment; managementAgent intuneAosp.
  {
    platform: 'aospUserAssociated',
    label: 'Android (AOSP) user-associated',
    matches: enrolledAs('androidaospuserowneddeviceenrollment'),
    supported: true,
    reset: { ...ANDROID_DEVICE_RESET, prerequisites: AOSP_PREREQUISITES },
  },
  {
    platform: 'aospUserless',
    label: 'Android (AOSP) userless',
    matches: enrolledAs('androidaospuserlessdeviceenrollment'),
    supported: true,
    reset: { ...ANDROID_DEVICE_RESET, prerequisites: AOSP_PREREQUISITES },
  },
  // [reset] Android Enterprise personally-owned work profile (BYOD), Android 8.0+ ([old]).
  // Graph has no enrollment type of its own for it (it is userEnrollment, owner personal):
  // beta deviceType androidForWork tells it from device administrator ([enum] deviceType;
  // which value Intune reports is an inference). v1.0 has no deviceType: see evaluateEligibility.
  {
    platform: 'androidPersonalWorkProfile',
    label: 'Android Enterprise personally-owned work profile',
    matches: (d) =>
      isAndroid(d) &&
      (lower(d.deviceType) === 'androidforwork' || lower(d.operatingSystem) === 'androidforwork'),
    supported: true,
    ...ANDROID_8,
    reset: ANDROID_WORK_PROFILE_RESET,
  },
  // [old] "Android devices on version 7.0 or later: No" (Google removed it from device
  // administrator apps); [reset] no longer lists device administrator at all.
  {
    platform: 'androidDeviceAdministrator',
    label: 'Android device administrator',
    matches: (d) => isAndroid(d) && lower(d.deviceType) === 'android',
    supported: false,
    refusal: 'deviceAdministrator',
  },
  // [old] "iOS/iPadOS devices enrolled with User Enrollment: No".
  {
    platform: 'iosUserEnrollment',
    label: 'iOS/iPadOS User Enrollment',
    matches: (d) =>
      isAppleMobile(d) && APPLE_USER_ENROLLMENT_TYPES.includes(lower(d.deviceEnrollmentType)),
    supported: false,
    refusal: 'appleUserEnrollment',
  },
  // [remove] iOS/iPadOS: the same Graph resetPasscode removes the passcode; "if there's a
  // passcode policy set, the device prompts the user to set a new passcode". Corporate and
  // personal (device enrollment) alike.
  {
    platform: 'ios',
    label: 'iOS/iPadOS',
    matches: isAppleMobile,
    supported: true,
    reset: {
      effect: 'passcodeRemoved',
      delivers: 'removalNotice',
      confirmTitleKey: 'confirm.title.remove',
      consequenceKeys: ['confirm.remove.step1', 'confirm.remove.step2'],
      extraConfirmationKey: 'confirm.remove.acknowledge',
      failedReasonKey: 'notification.failed.reason.ios',
      notSupportedReasonKey: 'notification.notSupported.reason.ios',
      prerequisites: [],
    },
  },
  // [reset] and [remove] list no macOS.
  {
    platform: 'macOS',
    label: 'macOS',
    matches: (d) => ['macos', 'mac os', 'macmdm'].includes(lower(d.operatingSystem)),
    supported: false,
  },
];

/** The keys RESET_PLATFORMS (and APPROVAL's platform list) may name: every supported row. */
export const RESET_PLATFORM_KEYS: readonly string[] = PLATFORM_RULES.filter((r) => r.supported).map(
  (r) => r.platform,
);

/** RESET_PLATFORMS' default: every row Intune documents today. */
export const ALL_RESET_PLATFORMS: ReadonlySet<string> = new Set(RESET_PLATFORM_KEYS);

/**
 * The supported row with this key (a job's `platform`), if any.
 * @public (for knip) the approval and platform-row branches import it; drop the tag after.
 */
export function supportedRule(
  key: string | undefined,
  rules: readonly PlatformRule[] = PLATFORM_RULES,
): SupportedRule | undefined {
  const rule = rules.find((r) => r.platform === key);
  return rule?.supported ? rule : undefined;
}

/**
 * How a job or card of this platform behaves. Jobs and cards from before the rows
 * existed carry no platform: they are the seed's Windows 10 Mobile.
 */
export function resetBehaviourOf(key: string | undefined): ResetBehaviour {
  return (supportedRule(key) ?? supportedRule('windows10Mobile')!).reset;
}

/** What `check setup` checks for these platforms: every prerequisite their rows name. */
export function prerequisitesOf(enabled: ReadonlySet<string>): ReadonlySet<PrerequisiteId> {
  return new Set(
    PLATFORM_RULES.flatMap((r) =>
      r.supported && enabled.has(r.platform) ? r.reset.prerequisites : [],
    ),
  );
}

/** The row that recognises this device (supported or not), if any. */
export function platformRuleFor(
  device: Device,
  rules: readonly PlatformRule[] = PLATFORM_RULES,
): PlatformRule | undefined {
  return rules.find((r) => r.matches(device));
}

/** deviceEnrollmentType values that mean the device is Azure AD joined. */
export const AZURE_AD_JOIN_ENROLLMENT_TYPES: ReadonlySet<string> = new Set([
  'windowsazureadjoin',
  'windowsbulkazuredomainjoin',
  'windowsazureadjoinusingdeviceauth',
  'windowsautoenrollment',
]);

/**
 * Compares dotted versions numerically; undefined when either is not a version. A
 * version needs as many parts as the minimum it is compared with, up to two: Android
 * reports "14" (compared with "8"), Windows "10.0.15063.x" (never a bare "10").
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string): number[] | undefined => {
    const parts = v.trim().split('.');
    return parts.some((p) => !/^\d{1,9}$/.test(p)) ? undefined : parts.map(Number);
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb || pa.length < Math.min(2, pb.length)) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** undefined when the data does not say. */
export function isAzureAdJoined(device: Device): boolean | undefined {
  const join = lower(device.joinType);
  if (join === 'azureadjoined') return true;
  if (join === 'azureadregistered' || join === 'hybridazureadjoined') return false;
  const enrollment = lower(device.deviceEnrollmentType);
  if (AZURE_AD_JOIN_ENROLLMENT_TYPES.has(enrollment)) return true;
  // azureADRegistered is true for Azure AD joined devices too, so it cannot tell "registered only".
  if (enrollment && enrollment !== 'unknown') return false;
  return undefined;
}

/**
 * The verdict on one device. `enabled`: the row keys this deployment serves
 * (RESET_PLATFORMS; default every supported row); a supported row left out is
 * refused as "not enabled here".
 */
export function evaluateEligibility(
  device: Device,
  rules: readonly PlatformRule[] = PLATFORM_RULES,
  enabled?: ReadonlySet<string>,
): EligibilityVerdict {
  const rule = platformRuleFor(device, rules);
  if (!rule) {
    if (isWindows(device) && UNKNOWN_DEVICE_TYPES.has(lower(device.deviceType))) {
      // v1.0 data cannot tell a phone from a desktop: both say "Windows 10.0.x".
      return { eligible: false, reason: 'insufficientData', detail: 'deviceType' };
    }
    if (isAndroid(device)) {
      // Work profile (BYOD) and device administrator both enroll as userEnrollment: only
      // beta's deviceType (absent in v1.0) tells them apart.
      const detail = UNKNOWN_DEVICE_TYPES.has(lower(device.deviceType))
        ? 'deviceType'
        : 'deviceEnrollmentType';
      return { eligible: false, reason: 'insufficientData', platform: 'Android', detail };
    }
    const platform = device.operatingSystem?.trim() || undefined;
    return platform
      ? { eligible: false, reason: 'platformNotSupported', platform }
      : { eligible: false, reason: 'insufficientData', detail: 'operatingSystem' };
  }
  if (!rule.supported) {
    return {
      eligible: false,
      reason: rule.refusal ?? 'platformNotSupported',
      platform: rule.label,
    };
  }
  if (enabled && !enabled.has(rule.platform)) {
    return { eligible: false, reason: 'notEnabledHere', platform: rule.label };
  }
  if (rule.minOsVersion) {
    const cmp = device.osVersion ? compareVersions(device.osVersion, rule.minOsVersion) : undefined;
    if (cmp === undefined) {
      return {
        eligible: false,
        reason: 'insufficientData',
        platform: rule.label,
        detail: 'osVersion',
      };
    }
    if (cmp < 0) {
      return {
        eligible: false,
        reason: 'osTooOld',
        platform: rule.label,
        detail: rule.minOsVersionName ?? rule.minOsVersion,
      };
    }
  }
  if (rule.requiresJoin === 'azureADJoined') {
    const joined = isAzureAdJoined(device);
    if (joined === undefined) {
      return {
        eligible: false,
        reason: 'insufficientData',
        platform: rule.label,
        detail: 'joinType',
      };
    }
    if (!joined) return { eligible: false, reason: 'notAzureAdJoined', platform: rule.label };
  }
  return { eligible: true, platform: rule.label };
}

/**
 * A search row that the rules cannot decide (reason insufficientData) is not refused: list
 * rows lack what a single GET has (v1.0 has no deviceType or joinType; beta lists report them
 * 'unknown' or wrong, microsoftgraph/microsoft-graph-docs issues 17851 and 18648). Such a
 * device is pickable, read by id and decided at Pick, and checked again at Confirm.
 */
export function checkedWhenPicked(verdict: EligibilityVerdict): boolean {
  return !verdict.eligible && verdict.reason === 'insufficientData';
}
