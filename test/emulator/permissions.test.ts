import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';

const DEVICE = DEMO_TENANT.devices.alexLumia950;
const MEGAN = DEMO_TENANT.users.meganBowen;
const GROUP = DEMO_TENANT.groups.helpdeskTechnicians;

/** An unsigned JWT with this payload: the emulator's 'token' mode reads roles / scp from it. */
const jwt = (payload: object): string =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

interface Answer {
  status: number;
  body: { error?: { code: string; message: string }; responses?: Answer[]; value?: unknown };
}

async function call(
  e: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
  token = 'dev',
): Promise<Answer> {
  const response = await fetch(`${e.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

describe('emulator: permissions held by the app, enforced per operation (Graph 403 bodies)', () => {
  let e: EmulatorHandle;
  afterEach(async () => {
    await e?.close();
  });

  it('answers Intune operations the app lacks with Forbidden naming the scopes, and lets the rest through', async () => {
    e = await startEmulator({ permissions: ['DeviceManagementManagedDevices.Read.All'] });
    assert.equal(
      (await call(e, 'GET', '/v1.0/deviceManagement/managedDevices?$top=1')).status,
      200,
    );
    const reset = await call(
      e,
      'POST',
      `/v1.0/deviceManagement/managedDevices/${DEVICE}/resetPasscode`,
    );
    assert.equal(reset.status, 403);
    assert.equal(reset.body.error?.code, 'Forbidden');
    assert.match(
      reset.body.error?.message ?? '',
      /^Application is not authorized to perform this operation\. Application must have one of the following scopes: DeviceManagementManagedDevices\.PrivilegedOperations\.All/,
    );
    assert.equal(e.resetCalls(DEVICE), 0, 'no reset was started');
    const profiles = await call(e, 'GET', '/v1.0/deviceManagement/deviceConfigurations');
    assert.equal(profiles.status, 403);
    assert.match(profiles.body.error?.message ?? '', /DeviceManagementConfiguration\.Read\.All/);
  });

  it('answers directory operations with Authorization_RequestDenied; checkMemberGroups needs User.Read.All and GroupMember.Read.All', async () => {
    e = await startEmulator({ permissions: ['GroupMember.Read.All'] });
    const denied = await call(e, 'POST', `/v1.0/users/${MEGAN}/checkMemberGroups`, {
      groupIds: [GROUP],
    });
    assert.equal(denied.status, 403);
    assert.deepEqual(
      [denied.body.error?.code, denied.body.error?.message],
      ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'],
    );
    e.setBehaviour({ permissions: ['User.Read.All', 'GroupMember.Read.All'] });
    const allowed = await call(e, 'POST', `/v1.0/users/${MEGAN}/checkMemberGroups`, {
      groupIds: [GROUP],
    });
    assert.equal(allowed.status, 200);
    e.setBehaviour({ permissions: null });
    assert.equal((await call(e, 'GET', '/v1.0/servicePrincipals')).status, 200);
  });

  it('checks each $batch sub-request on its own', async () => {
    e = await startEmulator({
      permissions: ['DeviceManagementManagedDevices.Read.All', 'Application.Read.All'],
    });
    const batch = await call(e, 'POST', '/v1.0/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/servicePrincipals' },
        { id: '2', method: 'GET', url: '/deviceManagement/deviceConfigurations' },
        { id: '3', method: 'GET', url: `/deviceManagement/managedDevices/${DEVICE}` },
      ],
    });
    assert.equal(batch.status, 200);
    const statuses = Object.fromEntries(
      (batch.body.responses ?? []).map((r) => [(r as unknown as { id: string }).id, r.status]),
    );
    assert.deepEqual(statuses, { '1': 200, '2': 403, '3': 200 });
  });

  it("reads the app's roles, or a technician's scp, from the token in 'token' mode", async () => {
    e = await startEmulator({ permissions: 'token' });
    const app = jwt({ roles: ['User.Read.All', 'GroupMember.Read.All'] });
    const body = { groupIds: [GROUP] };
    const path = `/v1.0/users/${MEGAN}/checkMemberGroups`;
    assert.equal((await call(e, 'POST', path, body, app)).status, 200);
    assert.equal(
      (await call(e, 'GET', '/v1.0/deviceManagement/managedDevices', undefined, app)).status,
      403,
    );
    const basic = jwt({ scp: 'User.ReadBasic.All GroupMember.Read.All' });
    assert.equal((await call(e, 'POST', path, body, basic)).status, 200, 'delegated');
    const appBasic = jwt({ roles: ['User.ReadBasic.All', 'GroupMember.Read.All'] });
    assert.equal(
      (await call(e, 'POST', path, body, appBasic)).status,
      403,
      'User.ReadBasic.All is delegated only',
    );
    assert.equal((await call(e, 'POST', path, body, 'not-a-jwt')).status, 403);
  });
});
