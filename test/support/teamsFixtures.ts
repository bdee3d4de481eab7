import type { AuditEntry } from '../../src/domain/ports/audit';
import type { DeviceRow, PickAnswer, SearchAnswer } from '../../src/domain/desk/desk';
import type { Device } from '../../src/domain/shared/device';
import type { ResetJob } from '../../src/domain/shared/job';
import type { PrerequisiteReport } from '../../src/domain/ports/intune';

/** Hand-made domain answers for card and view tests (the flows use the real Desk). */
export const TENANT_ID = '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b';

export function device(overrides: Partial<Device> = {}): Device {
  return {
    id: 'd7c2a1e0-4b3a-4c5d-8e6f-000000000001',
    deviceName: 'Lumia 950',
    userPrincipalName: 'alex.wilber@contoso.onmicrosoft.com',
    userDisplayName: 'Alex Wilber',
    model: 'Lumia 950',
    manufacturer: 'Microsoft',
    serialNumber: 'RM1104A7K2Q9',
    operatingSystem: 'Windows',
    osVersion: '10.0.15063.1266',
    deviceType: 'windowsPhone',
    joinType: 'azureADJoined',
    lastSyncDateTime: '2026-11-24T09:30:00Z',
    ...overrides,
  };
}

export function searchAnswer(
  rows: DeviceRow[],
  overrides: Partial<SearchAnswer> = {},
): SearchAnswer {
  return { kind: 'results', query: 'lumia', rows, truncated: false, ...overrides };
}

export const eligibleRow = (pickId = 'pick-1', d: Device = device()): DeviceRow => ({
  device: d,
  verdict: { eligible: true, platform: 'Windows 10 Mobile' },
  pickId,
});

export const ineligibleRow = (
  d: Device = device({ id: 'dev-old', deviceName: 'Old Lumia', osVersion: '10.0.14393.2551' }),
): DeviceRow => ({
  device: d,
  verdict: {
    eligible: false,
    reason: 'osTooOld',
    platform: 'Windows 10 Mobile',
    detail: 'Creators Update (10.0.15063)',
  },
});

export function pickAnswer(overrides: Partial<PickAnswer> = {}): PickAnswer {
  return {
    kind: 'confirm',
    pendingActionId: 'pending-1',
    device: device(),
    expiresAt: '2026-11-24T10:15:00Z',
    ...overrides,
  };
}

export function job(overrides: Partial<ResetJob> = {}): ResetJob {
  return {
    id: 'job-1',
    tenantId: TENANT_ID,
    device: {
      id: 'd7c2a1e0-4b3a-4c5d-8e6f-000000000001',
      name: 'Lumia 950',
      ownerUpn: 'alex.wilber@contoso.onmicrosoft.com',
      ownerName: 'Alex Wilber',
      model: 'Lumia 950',
      serialNumber: 'RM1104A7K2Q9',
    },
    requester: {
      aadObjectId: '0c3b2a91-4f5e-4d6c-8b7a-000000000002',
      name: 'Megan Bowen',
      locale: 'en-US',
    },
    origin: { key: 'c-origin', kind: 'groupChat', activityId: 'm-1' },
    ticketRef: 'INC0012345',
    state: 'pending',
    createdAt: '2026-11-24T10:00:00Z',
    updatedAt: '2026-11-24T10:01:00Z',
    submittedAt: '2026-11-24T10:00:05Z',
    graphRequestId: 'req-1234',
    checks: 1,
    remindersSent: 0,
    notified: [],
    ...overrides,
  };
}

export function setupReport(allPassed: boolean): PrerequisiteReport {
  return {
    tenantId: TENANT_ID,
    allPassed,
    checks: [
      { id: 'pinResetServicePrincipal', passed: true },
      { id: 'pinResetClientPrincipal', passed: allPassed },
      { id: 'enablePinRecoveryProfile', passed: true, detail: 'PIN recovery (Windows 10 Mobile)' },
      { id: 'enablePinRecoveryAssignment', passed: allPassed },
    ],
  };
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: '2026-11-24T10:00:00Z',
    action: 'confirm',
    actorId: '0c3b2a91-4f5e-4d6c-8b7a-000000000002',
    actorUpn: 'megan.bowen@contoso.onmicrosoft.com',
    deviceName: 'Lumia 950',
    outcome: 'accepted',
    ticketRef: 'INC0012345',
    ...overrides,
  };
}
