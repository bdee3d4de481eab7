import type { DeviceRecord } from '../../src/emulator/tenantData';

/**
 * Eligible Windows 10 Mobile phones for the confirm benchmark: every confirm needs
 * a device with no reset running, so the bench tenant carries many of them. Each
 * phone has its own user, so searching the UPN finds exactly that phone.
 */
export function benchPhoneUpn(index: number): string {
  return `bench.phone${String(index).padStart(5, '0')}@contoso.onmicrosoft.com`;
}

export function benchPhoneId(index: number): string {
  return `be000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function benchPhones(count: number, nowMs: number): DeviceRecord[] {
  const phones: DeviceRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const number = String(i).padStart(5, '0');
    const hex = i.toString(16).padStart(12, '0');
    const upn = benchPhoneUpn(i);
    phones.push({
      id: benchPhoneId(i),
      userId: `be000001-0000-4000-8000-${hex}`,
      deviceName: `BENCH-PHONE-${number}`,
      managedDeviceOwnerType: 'company',
      enrolledDateTime: new Date(nowMs - 400 * 86_400_000).toISOString(),
      lastSyncDateTime: new Date(nowMs - 3_600_000).toISOString(),
      operatingSystem: 'Windows',
      complianceState: 'compliant',
      managementAgent: 'mdm',
      osVersion: '10.0.15063.1418',
      azureADRegistered: false,
      deviceEnrollmentType: 'windowsAzureADJoin',
      emailAddress: upn,
      azureADDeviceId: `be000002-0000-4000-8000-${hex}`,
      deviceRegistrationState: 'registered',
      userPrincipalName: upn,
      userDisplayName: `Bench Phone User ${number}`,
      model: 'Lumia 950',
      manufacturer: 'Microsoft',
      serialNumber: `BENCH${number}`,
      imei: `35${String(i).padStart(13, '0')}`,
      deviceType: 'windowsPhone',
      joinType: 'azureADJoined',
      deviceActionResults: [],
    });
  }
  return phones;
}
