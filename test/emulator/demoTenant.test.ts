import assert from 'node:assert/strict';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { readTenantFile } from '../../src/emulator/tenant';
import type { DeviceRecord } from '../../src/emulator/tenantData';

const tenant = readTenantFile();
const devices = tenant.managedDevices;
const byId = (id: string): DeviceRecord => {
  const device = devices.find((d) => d.id === id);
  assert.ok(device, `device ${id} is in the demo tenant`);
  return device;
};
const isPhone = (d: DeviceRecord): boolean =>
  d.operatingSystem === 'Windows' && d.deviceType === 'windowsPhone';
const build = (d: DeviceRecord): number => Number(String(d.osVersion).split('.')[2]);
const eligible = (d: DeviceRecord): boolean =>
  isPhone(d) &&
  build(d) >= 15063 &&
  d.joinType === 'azureADJoined' &&
  d.deviceEnrollmentType !== 'userEnrollment' &&
  !d._emulator?.resetOutcome;

describe('emulator demo tenant', () => {
  it('has the fixed tenant id and at least 25 devices with unique ids and serial numbers', () => {
    assert.equal(tenant.tenantId, DEMO_TENANT.tenantId);
    assert.ok(devices.length >= 25, `${devices.length} devices`);
    assert.equal(new Set(devices.map((d) => d.id)).size, devices.length);
    assert.equal(new Set(devices.map((d) => d.serialNumber)).size, devices.length);
  });

  it('has eligible Windows 10 Mobile phones from several makers on 15063 and 15254 builds', () => {
    const good = devices.filter(eligible);
    assert.ok(good.length >= 8, `${good.length} eligible phones`);
    const models = new Set(good.map((d) => d.model));
    for (const model of [
      'Lumia 950',
      'Lumia 950 XL',
      'Lumia 650',
      'HP Elite x3',
      'IDOL 4S with Windows 10',
    ]) {
      assert.ok(models.has(model), `an eligible ${model}`);
    }
    assert.ok(good.some((d) => String(d.osVersion).startsWith('10.0.15063.')));
    assert.ok(good.some((d) => String(d.osVersion).startsWith('10.0.15254.')));
    const joinTypes = ['windowsAzureADJoin', 'windowsBulkAzureDomainJoin'];
    for (const d of good)
      assert.ok(joinTypes.includes(String(d.deviceEnrollmentType)), d.deviceName);
    assert.ok(good.filter((d) => d.deviceEnrollmentType === 'windowsAzureADJoin').length >= 8);
  });

  it('has a too-old phone and an Azure AD registered-only phone', () => {
    const old = byId(DEMO_TENANT.devices.tooOld);
    assert.ok(isPhone(old) && String(old.osVersion).startsWith('10.0.14393.'));
    const registered = byId(DEMO_TENANT.devices.registeredOnly);
    assert.ok(isPhone(registered) && build(registered) >= 15063);
    assert.equal(registered.joinType, 'azureADRegistered');
    assert.equal(registered.azureADRegistered, true);
    assert.notEqual(registered.deviceEnrollmentType, 'windowsAzureADJoin');
  });

  it('has every other platform', () => {
    const has = (os: string, type: (t: string) => boolean): boolean =>
      devices.some((d) => d.operatingSystem === os && type(String(d.deviceType)));
    assert.ok(
      has('Windows', (t) => t === 'desktop'),
      'Windows desktop',
    );
    assert.ok(
      has('iOS', (t) => t === 'iPhone'),
      'iOS',
    );
    assert.ok(
      has('iPadOS', (t) => t === 'iPad'),
      'iPadOS',
    );
    assert.ok(
      has('Android', (t) => t.startsWith('android')),
      'Android',
    );
    assert.ok(
      has('macOS', (t) => t === 'macMDM'),
      'macOS',
    );
  });

  it('has tricky names: a shared deviceName, an apostrophe, Chinese characters', () => {
    const a = byId(DEMO_TENANT.devices.alexLumia950);
    const b = byId(DEMO_TENANT.devices.lynneLumia950);
    assert.equal(a.deviceName, b.deviceName);
    assert.notEqual(a.userPrincipalName, b.userPrincipalName);
    assert.equal(byId(DEMO_TENANT.devices.obrienLumia).deviceName, "O'Brien's Lumia");
    assert.match(String(byId(DEMO_TENANT.devices.obrienLumia).userPrincipalName), /'/);
    assert.equal(byId(DEMO_TENANT.devices.wangLumia).deviceName, '王小明的 Lumia');
  });

  it('has a phone whose reset fails with a non-zero Int32 and one that never checks in', () => {
    const failing = byId(DEMO_TENANT.devices.failingReset);
    assert.ok(eligible({ ...failing, _emulator: {} }));
    assert.equal(failing._emulator?.resetOutcome, 'failed');
    const code = failing._emulator?.errorCode ?? 0;
    assert.ok(code !== 0 && Number.isInteger(code) && code >= -(2 ** 31) && code < 2 ** 31);
    assert.equal(code, DEMO_TENANT.failingResetErrorCode);
    const silent = byId(DEMO_TENANT.devices.neverChecksIn);
    assert.ok(eligible({ ...silent, _emulator: {} }));
    assert.equal(silent._emulator?.resetOutcome, 'pending');
  });

  it('gives every device with a user a real directory user', () => {
    const upns = new Map(tenant.users.map((u) => [u.userPrincipalName, u]));
    for (const d of devices) {
      if (!d.userPrincipalName) continue;
      const user = upns.get(String(d.userPrincipalName));
      assert.ok(user, `${d.deviceName}: ${String(d.userPrincipalName)}`);
      assert.equal(d.userId, user.id);
      assert.equal(d.userDisplayName, user.displayName);
      assert.equal(d.emailAddress, user.mail);
    }
  });

  it('holds the prerequisites: both PIN reset service principals, the profile and its assignment', () => {
    const appIds = tenant.servicePrincipals.map((s) => s.appId);
    assert.ok(appIds.includes(DEMO_TENANT.appIds.pinResetService));
    assert.ok(appIds.includes(DEMO_TENANT.appIds.pinResetClient));
    const profile = tenant.deviceConfigurations.find(
      (c) => c.id === DEMO_TENANT.deviceConfigurations.pinRecovery,
    );
    assert.equal(profile?.['@odata.type'], '#microsoft.graph.windows10CustomConfiguration');
    assert.deepEqual(profile?.omaSettings, [
      {
        '@odata.type': '#microsoft.graph.omaSettingBoolean',
        displayName: 'EnablePinRecovery',
        description: null,
        omaUri: `./Device/Vendor/MSFT/PassportForWork/${DEMO_TENANT.tenantId}/Policies/EnablePinRecovery`,
        value: true,
      },
    ]);
    const groupIds = tenant.groups.map((g) => g.id);
    const target = profile?.assignments?.find(
      (a) => a.target['@odata.type'] === '#microsoft.graph.groupAssignmentTarget',
    );
    assert.ok(target?.target.groupId && groupIds.includes(target.target.groupId));
    assert.ok(tenant.deviceConfigurations.length >= 2, 'an unrelated profile as well');
  });

  it('has the helpdesk groups, with demo users in them', () => {
    const group = (id: string) => tenant.groups.find((g) => g.id === id);
    assert.equal(
      group(DEMO_TENANT.groups.helpdeskTechnicians)?.displayName,
      'Helpdesk technicians',
    );
    assert.equal(group(DEMO_TENANT.groups.helpdeskAdmins)?.displayName, 'Helpdesk admins');
    assert.ok(
      group(DEMO_TENANT.groups.helpdeskTechnicians)?.members.includes(DEMO_TENANT.users.meganBowen),
    );
    assert.ok(
      group(DEMO_TENANT.groups.helpdeskAdmins)?.members.includes(DEMO_TENANT.users.adeleVance),
    );
  });

  it('names every demo id that exists', () => {
    for (const id of Object.values(DEMO_TENANT.devices)) byId(id);
    const userIds = new Set(tenant.users.map((u) => u.id));
    for (const id of Object.values(DEMO_TENANT.users)) assert.ok(userIds.has(id), id);
    const groupIds = new Set(tenant.groups.map((g) => g.id));
    for (const id of Object.values(DEMO_TENANT.groups)) assert.ok(groupIds.has(id), id);
  });
});
