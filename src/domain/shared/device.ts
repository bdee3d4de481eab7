/** A managed device as the bot sees it: only the fields it shows or reasons about. */
export interface Device {
  id: string;
  deviceName: string;
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  emailAddress?: string | null;
  model?: string | null;
  manufacturer?: string | null;
  serialNumber?: string | null;
  operatingSystem?: string | null;
  osVersion?: string | null;
  /** beta only (windowsPhone, desktop, iPhone, android, ...). */
  deviceType?: string | null;
  /** beta only (azureADJoined, azureADRegistered, hybridAzureADJoined, unknown). */
  joinType?: string | null;
  deviceEnrollmentType?: string | null;
  azureADRegistered?: boolean | null;
  azureADDeviceId?: string | null;
  lastSyncDateTime?: string | null;
}

/** Graph's actionState enum for a device action. */
export type ActionState =
  'none' | 'pending' | 'canceled' | 'active' | 'done' | 'failed' | 'notSupported';
