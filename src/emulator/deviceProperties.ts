/**
 * managedDevice properties per Graph version, in the order Graph returns them.
 * `deviceType` and `joinType` exist only in beta, so `$select` of either on v1.0
 * is a 400, as on real Graph.
 */
export type GraphVersion = 'v1.0' | 'beta';

const V1_PROPERTIES = [
  'id',
  'userId',
  'deviceName',
  'managedDeviceOwnerType',
  'enrolledDateTime',
  'lastSyncDateTime',
  'operatingSystem',
  'complianceState',
  'jailBroken',
  'managementAgent',
  'osVersion',
  'easActivated',
  'easDeviceId',
  'easActivationDateTime',
  'azureADRegistered',
  'deviceEnrollmentType',
  'activationLockBypassCode',
  'emailAddress',
  'azureADDeviceId',
  'deviceRegistrationState',
  'deviceCategoryDisplayName',
  'isSupervised',
  'exchangeLastSuccessfulSyncDateTime',
  'exchangeAccessState',
  'exchangeAccessStateReason',
  'remoteAssistanceSessionUrl',
  'remoteAssistanceSessionErrorDetails',
  'isEncrypted',
  'userPrincipalName',
  'model',
  'manufacturer',
  'imei',
  'complianceGracePeriodExpirationDateTime',
  'serialNumber',
  'phoneNumber',
  'androidSecurityPatchLevel',
  'userDisplayName',
  'configurationManagerClientEnabledFeatures',
  'wiFiMacAddress',
  'deviceHealthAttestationState',
  'subscriberCarrier',
  'meid',
  'totalStorageSpaceInBytes',
  'freeStorageSpaceInBytes',
  'managedDeviceName',
  'partnerReportedThreatState',
  'requireUserEnrollmentApproval',
  'managementCertificateExpirationDate',
  'iccid',
  'udid',
  'notes',
  'ethernetMacAddress',
  'physicalMemoryInBytes',
  'enrollmentProfileName',
  'deviceActionResults',
] as const;

const BETA_ONLY_PROPERTIES = [
  'deviceType',
  'joinType',
  'managementState',
  'ownerType',
  'chassisType',
  'skuFamily',
  'processorArchitecture',
  'autopilotEnrolled',
  'windowsActiveMalwareCount',
] as const;

const BOOLEAN_PROPERTIES = new Set([
  'easActivated',
  'azureADRegistered',
  'isSupervised',
  'isEncrypted',
  'requireUserEnrollmentApproval',
  'autopilotEnrolled',
]);
const NUMBER_PROPERTIES = new Set([
  'totalStorageSpaceInBytes',
  'freeStorageSpaceInBytes',
  'physicalMemoryInBytes',
  'windowsActiveMalwareCount',
]);

const PROPERTIES: Record<GraphVersion, readonly string[]> = {
  'v1.0': V1_PROPERTIES,
  beta: [...V1_PROPERTIES, ...BETA_ONLY_PROPERTIES],
};

/** Lower-case name → canonical name, per version (Graph matches property names case-insensitively). */
const CANONICAL: Record<GraphVersion, Map<string, string>> = {
  'v1.0': new Map(PROPERTIES['v1.0'].map((p) => [p.toLowerCase(), p])),
  beta: new Map(PROPERTIES.beta.map((p) => [p.toLowerCase(), p])),
};

export function deviceProperties(version: GraphVersion): readonly string[] {
  return PROPERTIES[version];
}

export function canonicalDeviceProperty(version: GraphVersion, name: string): string | undefined {
  return CANONICAL[version].get(name.toLowerCase());
}

/** What Graph shows for a property the record does not hold. */
export function defaultDeviceValue(property: string): unknown {
  if (property === 'deviceActionResults') return [];
  if (BOOLEAN_PROPERTIES.has(property)) return false;
  if (NUMBER_PROPERTIES.has(property)) return 0;
  return null;
}
