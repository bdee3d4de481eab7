import assert from 'node:assert/strict';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { IntuneError } from '../../src/domain/ports/intune';
import { scopesInForbiddenMessage } from '../../src/intune/permissions';
import { createLogger } from '../../src/logger';
import { startRig, type Rig } from './harness';

const DEVICE = DEMO_TENANT.devices.alexLumia950;
const MEGAN = DEMO_TENANT.users.meganBowen;
const GROUP = DEMO_TENANT.groups.helpdeskTechnicians;

async function refusal(call: Promise<unknown>): Promise<IntuneError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof IntuneError, String(error));
    return error;
  }
  assert.fail('Graph answered instead of refusing');
}

describe('GraphIntune: a 403 names the permission the app lacks (emulator enforcing permissions)', () => {
  let rig: Rig;
  let logs: string[];

  async function start(permissions: string[], mode: 'app' | 'delegated' = 'app'): Promise<void> {
    logs = [];
    const logger = createLogger('warn', { write: (line: string) => void logs.push(line) });
    rig = await startRig({ permissions }, { logger, mode });
  }

  afterEach(async () => {
    await rig?.emulator.close();
  });

  it('reads the permission from Intune\'s "must have one of the following scopes", least privileged first', () => {
    assert.deepEqual(
      scopesInForbiddenMessage(
        'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000',
      ),
      ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'],
    );
    assert.deepEqual(
      scopesInForbiddenMessage('Insufficient privileges to complete the operation.'),
      [],
    );
  });

  it('a refused reset names PrivilegedOperations.All, is logged with it and the request-id, and starts nothing', async () => {
    await start(['DeviceManagementManagedDevices.Read.All']);
    const error = await refusal(rig.intune.resetPasscode(DEVICE));
    assert.equal(error.isForbidden, true);
    assert.deepEqual(error.missingPermissions, [
      'DeviceManagementManagedDevices.PrivilegedOperations.All',
    ]);
    assert.ok(error.requestId);
    assert.equal(rig.emulator.resetCalls(DEVICE), 0);
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.operation);
    assert.equal(line?.permission, 'DeviceManagementManagedDevices.PrivilegedOperations.All');
    assert.equal(line?.requestId, error.requestId);
    assert.equal(line?.operation, 'resetPasscode');
  });

  it('a refused checkMemberGroups (the directory names nothing) names User.Read.All + GroupMember.Read.All, or the delegated pair', async () => {
    await start(['GroupMember.Read.All']);
    const app = await refusal(rig.intune.checkMemberGroups(MEGAN, [GROUP]));
    assert.equal(app.code, 'Authorization_RequestDenied');
    assert.deepEqual(app.missingPermissions, ['User.Read.All', 'GroupMember.Read.All']);
    await rig.emulator.close();
    await start(['GroupMember.Read.All'], 'delegated');
    const delegated = await refusal(rig.intune.checkMemberGroups(MEGAN, [GROUP]));
    assert.deepEqual(delegated.missingPermissions, ['User.ReadBasic.All', 'GroupMember.Read.All']);
  });

  it('works with exactly the documented permissions', async () => {
    await start([
      'DeviceManagementManagedDevices.Read.All',
      'DeviceManagementManagedDevices.PrivilegedOperations.All',
      'User.Read.All',
      'GroupMember.Read.All',
      'Application.Read.All',
      'DeviceManagementConfiguration.Read.All',
    ]);
    assert.deepEqual(await rig.intune.checkMemberGroups(MEGAN, [GROUP]), [GROUP]);
    assert.ok((await rig.intune.searchDevices('Lumia', 5)).devices.length > 0);
    const report = await rig.intune.checkPrerequisites(rig.emulator.tenantId);
    assert.equal(report.allPassed, true, JSON.stringify(report));
    await rig.intune.resetPasscode(DEVICE);
    assert.equal(rig.emulator.resetCalls(DEVICE), 1);
    assert.deepEqual(logs, []);
  });
});
