import type { DeviceRecord } from './tenantData';

/**
 * Deterministic filler devices for benchmarks: the same seed and count give the
 * same tenant. Mostly not Windows 10 Mobile, as in any real tenant today. Names,
 * serial numbers, UPNs and ids carry the index, so they are unique and never
 * collide with the demo tenant.
 */
export function syntheticDevices(count: number, nowMs: number, seed = 0x5eed): DeviceRecord[] {
  const random = mulberry32(seed);
  const devices: DeviceRecord[] = [];
  for (let i = 1; i <= count; i++) devices.push(makeDevice(i, random, nowMs));
  return devices;
}

interface Platform {
  weight: number;
  operatingSystem: string;
  deviceType: string;
  joinType: string;
  deviceEnrollmentType: string;
  namePrefix: string;
  models: ReadonlyArray<readonly [model: string, manufacturer: string]>;
  versions: readonly string[];
}

const PLATFORMS: readonly Platform[] = [
  {
    weight: 4,
    operatingSystem: 'Windows',
    deviceType: 'windowsPhone',
    joinType: 'azureADJoined',
    deviceEnrollmentType: 'windowsAzureADJoin',
    namePrefix: 'WP',
    models: [
      ['Lumia 950', 'Microsoft'],
      ['Lumia 950 XL', 'Microsoft'],
      ['Lumia 650', 'Microsoft'],
      ['HP Elite x3', 'HP'],
    ],
    versions: ['10.0.14393.2551', '10.0.15063.1418', '10.0.15254.600'],
  },
  {
    weight: 36,
    operatingSystem: 'Windows',
    deviceType: 'desktop',
    joinType: 'azureADJoined',
    deviceEnrollmentType: 'windowsAzureADJoin',
    namePrefix: 'DESKTOP',
    models: [
      ['Surface Laptop 5', 'Microsoft Corporation'],
      ['Latitude 7440', 'Dell Inc.'],
      ['ThinkPad T14 Gen 4', 'LENOVO'],
    ],
    versions: ['10.0.19045.5131', '10.0.22631.4460', '10.0.26100.2314'],
  },
  {
    weight: 27,
    operatingSystem: 'iOS',
    deviceType: 'iPhone',
    joinType: 'azureADRegistered',
    deviceEnrollmentType: 'appleBulkWithUser',
    namePrefix: 'iPhone',
    models: [
      ['iPhone 14', 'Apple'],
      ['iPhone 15 Pro', 'Apple'],
    ],
    versions: ['17.6.1', '18.1'],
  },
  {
    weight: 5,
    operatingSystem: 'iPadOS',
    deviceType: 'iPad',
    joinType: 'azureADRegistered',
    deviceEnrollmentType: 'appleBulkWithUser',
    namePrefix: 'iPad',
    models: [['iPad Air (5th generation)', 'Apple']],
    versions: ['17.6.1', '18.1'],
  },
  {
    weight: 24,
    operatingSystem: 'Android',
    deviceType: 'androidEnterprise',
    joinType: 'azureADRegistered',
    deviceEnrollmentType: 'androidEnterpriseFullyManaged',
    namePrefix: 'Android',
    models: [
      ['SM-S921B', 'samsung'],
      ['Pixel 8', 'Google'],
    ],
    versions: ['13', '14'],
  },
  {
    weight: 4,
    operatingSystem: 'macOS',
    deviceType: 'macMDM',
    joinType: 'unknown',
    deviceEnrollmentType: 'appleBulkWithUser',
    namePrefix: 'Mac',
    models: [['MacBook Air (M2, 2022)', 'Apple']],
    versions: ['14.7', '15.1'],
  },
];
const TOTAL_WEIGHT = PLATFORMS.reduce((sum, p) => sum + p.weight, 0);
const COMPLIANCE = [
  'compliant',
  'compliant',
  'compliant',
  'noncompliant',
  'inGracePeriod',
] as const;

function makeDevice(index: number, random: () => number, nowMs: number): DeviceRecord {
  const platform = pickPlatform(random() * TOTAL_WEIGHT);
  const [model, manufacturer] = pick(platform.models, random);
  const number = String(index).padStart(6, '0');
  const hex = index.toString(16).padStart(12, '0');
  const upn = `syn.user${number}@contoso.onmicrosoft.com`;
  const enrolledMs = nowMs - Math.floor(random() * 900) * 86_400_000 - 86_400_000;
  return {
    id: `5e000000-0000-4000-8000-${hex}`,
    userId: `5e000001-0000-4000-8000-${hex}`,
    deviceName: `SYN-${platform.namePrefix}-${number}`,
    managedDeviceOwnerType: random() < 0.8 ? 'company' : 'personal',
    enrolledDateTime: new Date(enrolledMs).toISOString(),
    lastSyncDateTime: new Date(nowMs - Math.floor(random() * 30 * 86_400_000)).toISOString(),
    operatingSystem: platform.operatingSystem,
    complianceState: pick(COMPLIANCE, random),
    managementAgent: 'mdm',
    osVersion: pick(platform.versions, random),
    azureADRegistered: platform.joinType === 'azureADRegistered',
    deviceEnrollmentType: platform.deviceEnrollmentType,
    emailAddress: upn,
    azureADDeviceId: `5e000002-0000-4000-8000-${hex}`,
    deviceRegistrationState: 'registered',
    userPrincipalName: upn,
    userDisplayName: `Synthetic User ${number}`,
    model,
    manufacturer,
    serialNumber: `SYN${String(index).padStart(9, '0')}`,
    imei: platform.deviceType === 'windowsPhone' ? `35${String(index).padStart(13, '0')}` : '',
    deviceType: platform.deviceType,
    joinType: platform.joinType,
  };
}

function pickPlatform(roll: number): Platform {
  let remaining = roll;
  for (const platform of PLATFORMS) {
    remaining -= platform.weight;
    if (remaining < 0) return platform;
  }
  return PLATFORMS[PLATFORMS.length - 1]!;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Small seeded PRNG (public domain); enough for reproducible test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
