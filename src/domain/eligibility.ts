import type { Device } from './device';

/**
 * Which devices can have their passcode reset, as data. The seed (Microsoft's
 * "Reset the passcode on Windows devices") allows exactly: Windows 10 Mobile,
 * Creators Update (10.0.15063) or later, Azure AD joined. Everything else is
 * refused with a reason. To support another platform, add one row to PLATFORM_RULES.
 */
export type IneligibleReason =
  'platformNotSupported' | 'osTooOld' | 'notAzureAdJoined' | 'insufficientData';

export type EligibilityVerdict =
  | { eligible: true; platform: string }
  | { eligible: false; reason: IneligibleReason; platform?: string; detail?: string };

export type JoinRequirement = 'azureADJoined';

export interface PlatformRule {
  /** Stable key and the platform's display name (a product name, not translated). */
  platform: string;
  label: string;
  matches: (device: Device) => boolean;
  supported: boolean;
  /** Lowest OS version allowed, dotted (compared numerically part by part). */
  minOsVersion?: string;
  minOsVersionName?: string;
  requiresJoin?: JoinRequirement;
}

const lower = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();
const isWindows = (d: Device): boolean => lower(d.operatingSystem).startsWith('windows');
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

/** Rows are tried in order; the first whose `matches` is true decides. */
export const PLATFORM_RULES: readonly PlatformRule[] = [
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
  },
  {
    platform: 'windows',
    label: 'Windows',
    matches: (d) => isWindows(d) && WINDOWS_DESKTOP_TYPES.has(lower(d.deviceType)),
    supported: false,
  },
  {
    platform: 'iOS',
    label: 'iOS/iPadOS',
    matches: (d) => ['ios', 'ipados'].includes(lower(d.operatingSystem)),
    supported: false,
  },
  {
    platform: 'macOS',
    label: 'macOS',
    matches: (d) => ['macos', 'mac os', 'macmdm'].includes(lower(d.operatingSystem)),
    supported: false,
  },
  {
    platform: 'android',
    label: 'Android',
    matches: (d) => lower(d.operatingSystem).startsWith('android'),
    supported: false,
  },
];

/** deviceEnrollmentType values that mean the device is Azure AD joined. */
export const AZURE_AD_JOIN_ENROLLMENT_TYPES: ReadonlySet<string> = new Set([
  'windowsazureadjoin',
  'windowsbulkazuredomainjoin',
  'windowsazureadjoinusingdeviceauth',
  'windowsautoenrollment',
]);

/** Compares dotted versions numerically; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string): number[] | undefined => {
    const parts = v.trim().split('.');
    if (parts.length < 2 || parts.some((p) => !/^\d{1,9}$/.test(p))) return undefined;
    return parts.map(Number);
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return undefined;
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

export function evaluateEligibility(
  device: Device,
  rules: readonly PlatformRule[] = PLATFORM_RULES,
): EligibilityVerdict {
  const rule = rules.find((r) => r.matches(device));
  if (!rule) {
    if (isWindows(device) && UNKNOWN_DEVICE_TYPES.has(lower(device.deviceType))) {
      // v1.0 data cannot tell a phone from a desktop: both say "Windows 10.0.x".
      return { eligible: false, reason: 'insufficientData', detail: 'deviceType' };
    }
    const platform = device.operatingSystem?.trim() || undefined;
    return platform
      ? { eligible: false, reason: 'platformNotSupported', platform }
      : { eligible: false, reason: 'insufficientData', detail: 'operatingSystem' };
  }
  if (!rule.supported) {
    return { eligible: false, reason: 'platformNotSupported', platform: rule.label };
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
