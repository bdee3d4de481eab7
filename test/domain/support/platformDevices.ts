import type { Device } from '../../../src/domain/shared/device';

const base = (id: string, over: Partial<Device>): Device => ({
  id,
  deviceName: `sample-${id}`,
  userPrincipalName: 'alex@contoso.com',
  ...over,
});

/**
 * One device for every row of PLATFORM_RULES, as Graph beta reports it (enum values
 * checked against Graph's deviceEnrollmentType / deviceType docs, see eligibility.ts).
 * platformRows.test.ts fails when a row has no sample here.
 */
export const ROW_SAMPLES: Readonly<Record<string, Device>> = {
  windows10Mobile: base('w10m', {
    operatingSystem: 'Windows',
    osVersion: '10.0.15063.297',
    deviceType: 'windowsPhone',
    joinType: 'azureADJoined',
    deviceEnrollmentType: 'windowsAzureADJoin',
  }),
  windows: base('win', {
    operatingSystem: 'Windows',
    osVersion: '10.0.26100.1',
    deviceType: 'desktop',
    deviceEnrollmentType: 'windowsAzureADJoin',
  }),
  androidDedicated: base('cosu', {
    operatingSystem: 'Android',
    osVersion: '13',
    deviceType: 'androidEnterprise',
    deviceEnrollmentType: 'androidEnterpriseDedicatedDevice',
  }),
  androidFullyManaged: base('cobo', {
    operatingSystem: 'Android',
    osVersion: '14',
    deviceType: 'androidEnterprise',
    deviceEnrollmentType: 'androidEnterpriseFullyManaged',
  }),
  androidCorporateWorkProfile: base('cope', {
    operatingSystem: 'Android',
    osVersion: '14',
    deviceType: 'androidEnterprise',
    deviceEnrollmentType: 'androidEnterpriseCorporateWorkProfile',
  }),
  aospUserAssociated: base('aosp-user', {
    operatingSystem: 'Android',
    osVersion: '12',
    deviceType: 'androidnGMS',
    deviceEnrollmentType: 'androidAOSPUserOwnedDeviceEnrollment',
  }),
  aospUserless: base('aosp-userless', {
    operatingSystem: 'Android',
    osVersion: '10',
    deviceType: 'androidnGMS',
    deviceEnrollmentType: 'androidAOSPUserlessDeviceEnrollment',
  }),
  androidPersonalWorkProfile: base('byod', {
    operatingSystem: 'Android',
    osVersion: '15',
    deviceType: 'androidForWork',
    deviceEnrollmentType: 'userEnrollment',
  }),
  androidDeviceAdministrator: base('da', {
    operatingSystem: 'Android',
    osVersion: '10',
    deviceType: 'android',
    deviceEnrollmentType: 'userEnrollment',
  }),
  iosUserEnrollment: base('ios-ue', {
    operatingSystem: 'iOS',
    osVersion: '18.1',
    deviceType: 'iPhone',
    deviceEnrollmentType: 'appleAccountDrivenUserEnrollment',
  }),
  ios: base('ios', {
    operatingSystem: 'iOS',
    osVersion: '18.1',
    deviceType: 'iPhone',
    deviceEnrollmentType: 'appleBulkWithUser',
  }),
  macOS: base('mac', { operatingSystem: 'macOS', osVersion: '15.1', deviceType: 'macMDM' }),
};
