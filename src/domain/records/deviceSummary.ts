import type { Device, DeviceSummary } from '../shared';

/** The device fields a job keeps (what cards and notifications show). */
export function toDeviceSummary(device: Device): DeviceSummary {
  const optional = {
    ownerUpn: device.userPrincipalName,
    ownerName: device.userDisplayName,
    model: device.model,
    serialNumber: device.serialNumber,
    osVersion: device.osVersion,
    lastSyncDateTime: device.lastSyncDateTime,
  };
  return {
    id: device.id,
    name: device.deviceName,
    ...Object.fromEntries(
      Object.entries(optional).filter(([, v]) => typeof v === 'string' && v !== ''),
    ),
  };
}
