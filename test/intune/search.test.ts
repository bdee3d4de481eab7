import assert from 'node:assert/strict';
import { InvalidQueryError } from '../../src/domain/ports/intune';
import { syntheticDevices } from '../../src/emulator/synthetic';
import { readTenantFile, startRig, type Rig } from './harness';

const tenant = readTenantFile();
const namesContaining = (text: string): string[] =>
  tenant.managedDevices
    .filter((d) => d.deviceName.toLowerCase().includes(text.toLowerCase()))
    .map((d) => d.deviceName);

describe('GraphIntune.searchDevices (emulator over HTTP)', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(async () => rig.emulator.close());
  beforeEach(() => rig.emulator.resetRequests());

  it('finds devices by name in one $batch round trip with the people search, $select of the shown v1.0 fields and $top = limit + 1', async () => {
    const result = await rig.intune.searchDevices('lumia', 50);
    assert.deepEqual(result.interpretedAs, ['deviceName', 'person']);
    assert.deepEqual(
      result.devices.map((d) => d.deviceName).sort(),
      namesContaining('lumia').sort(),
    );
    assert.equal(result.truncated, false);
    assert.equal(result.totalKnown, namesContaining('lumia').length);
    const requests = rig.topLevel();
    assert.equal(requests.length, 1);
    assert.equal(new URL(requests[0]!.url, rig.emulator.url).pathname, '/v1.0/$batch');
    const [devicesRequest, peopleRequest] = rig.subRequests();
    const url = new URL(devicesRequest!.url, rig.emulator.url);
    assert.equal(devicesRequest!.method, 'GET');
    assert.equal(url.pathname, '/v1.0/deviceManagement/managedDevices');
    assert.equal(
      new URL(peopleRequest!.url, rig.emulator.url).searchParams.get('$filter'),
      "startswith(displayName,'lumia') or startswith(givenName,'lumia') or startswith(surname,'lumia') or startswith(userPrincipalName,'lumia')",
    );
    assert.equal(result.person, undefined, 'nobody is called lumia');
    assert.equal(url.searchParams.get('$filter'), "contains(deviceName,'lumia')");
    assert.equal(url.searchParams.get('$top'), '51');
    assert.deepEqual(url.searchParams.get('$select')?.split(',').sort(), [
      'azureADDeviceId',
      'azureADRegistered',
      'deviceEnrollmentType',
      'deviceName',
      'emailAddress',
      'id',
      'lastSyncDateTime',
      'manufacturer',
      'model',
      'operatingSystem',
      'osVersion',
      'serialNumber',
      'userDisplayName',
      'userPrincipalName',
    ]);
    assert.equal(rig.subRequests().length, 2);
  });

  it('leaves the beta-only fields to the device read by id: v1.0 for the rest, beta for deviceType and joinType', async () => {
    const { devices } = await rig.intune.searchDevices('LEE-LUMIA650', 5);
    assert.equal(devices.length, 1);
    assert.equal(devices[0]!.deviceType, undefined);
    const device = await rig.intune.getDevice(devices[0]!.id);
    assert.equal(device?.deviceType, 'windowsPhone');
    assert.equal(device?.joinType, 'azureADJoined');
    assert.equal(device?.osVersion, devices[0]!.osVersion);
  });

  it('keeps working with less detail when the beta read fails', async () => {
    const id = tenant.managedDevices[0]!.id;
    rig.emulator.fault(1, 500, new RegExp(`^/beta/deviceManagement/managedDevices/${id}`));
    const device = await rig.intune.getDevice(id);
    assert.equal(device?.id, id);
    assert.equal(device?.deviceType, undefined);
    assert.equal(device?.deviceName, tenant.managedDevices[0]!.deviceName);
  });

  it('finds every device of a user by UPN (userPrincipalName eq only)', async () => {
    const upn = 'alex.wilber@contoso.onmicrosoft.com';
    const result = await rig.intune.searchDevices(upn, 10);
    assert.deepEqual(result.interpretedAs, ['userPrincipalName']);
    const expected = tenant.managedDevices
      .filter((d) => d.userPrincipalName === upn)
      .map((d) => d.id);
    assert.ok(expected.length >= 2);
    assert.deepEqual(result.devices.map((d) => d.id).sort(), expected.sort());
    assert.ok(result.devices.every((d) => d.userPrincipalName === upn));
    assert.equal(
      new URL(rig.topLevel()[0]!.url, rig.emulator.url).searchParams.get('$filter'),
      `userPrincipalName eq '${upn}'`,
    );
  });

  it('finds a device by serial number, trying serialNumber eq and deviceName contains in ONE $batch round trip', async () => {
    const device = tenant.managedDevices.find((d) => d.serialNumber === 'RM1104A7K2Q9')!;
    const result = await rig.intune.searchDevices('rm1104a7k2q9', 10);
    assert.deepEqual(result.interpretedAs, ['serialNumber', 'deviceName', 'person']);
    assert.deepEqual(
      result.devices.map((d) => d.id),
      [device.id],
    );
    const topLevel = rig.topLevel();
    assert.equal(topLevel.length, 1, JSON.stringify(topLevel));
    assert.equal(topLevel[0]!.method, 'POST');
    assert.equal(new URL(topLevel[0]!.url, rig.emulator.url).pathname, '/v1.0/$batch');
    const filters = rig
      .subRequests()
      .map((r) => new URL(r.url, rig.emulator.url).searchParams.get('$filter'));
    assert.deepEqual(filters.slice(0, 2), [
      "serialNumber eq 'rm1104a7k2q9'",
      "contains(deviceName,'rm1104a7k2q9')",
    ]);
    assert.match(filters[2] ?? '', /^startswith\(displayName,'rm1104a7k2q9'\) or /);
  });

  it('finds a name with an apostrophe, escaped as a doubled quote', async () => {
    const result = await rig.intune.searchDevices("O'Brien", 10);
    assert.deepEqual(
      result.devices.map((d) => d.deviceName),
      ["O'Brien's Lumia"],
    );
    const filters = rig
      .subRequests()
      .map((r) => new URL(r.url, rig.emulator.url).searchParams.get('$filter'));
    assert.equal(filters[0], "contains(deviceName,'O''Brien')");
    assert.match(filters[1] ?? '', /startswith\(surname,'O''Brien'\)/);
    // Liam O'Brien is found by name too: his devices were read with userPrincipalName eq.
    assert.equal(result.person?.displayName, "Liam O'Brien");
    assert.equal(
      new URL(rig.topLevel()[1]!.url, rig.emulator.url).searchParams.get('$filter'),
      "userPrincipalName eq 'liam.o''brien@contoso.onmicrosoft.com'",
    );
  });

  it("finds a person's devices by display name or the start of the sign-in name, in two round trips", async () => {
    const upn = 'alex.wilber@contoso.onmicrosoft.com';
    const owned = tenant.managedDevices.filter((d) => d.userPrincipalName === upn).map((d) => d.id);
    for (const query of ['Alex Wilber', 'alex.wilber', 'Wilber']) {
      rig.emulator.resetRequests();
      const result = await rig.intune.searchDevices(query, 10);
      assert.equal(result.person?.userPrincipalName, upn, query);
      assert.deepEqual(
        result.devices
          .slice(0, owned.length)
          .map((d) => d.id)
          .sort(),
        [...owned].sort(),
        `${query}: Alex's devices come first`,
      );
      assert.equal(result.people, undefined);
      const topLevel = rig.topLevel();
      assert.equal(topLevel.length, 2, `${query}: one $batch, then one GET`);
      assert.equal(new URL(topLevel[0]!.url, rig.emulator.url).pathname, '/v1.0/$batch');
      assert.equal(
        new URL(topLevel[1]!.url, rig.emulator.url).searchParams.get('$filter'),
        `userPrincipalName eq '${upn}'`,
      );
    }
  });

  it('returns the people to choose from when several match, without reading their devices', async () => {
    const result = await rig.intune.searchDevices('jo', 10);
    const names = (result.people ?? []).map((p) => p.displayName);
    assert.deepEqual(names.sort(), ['Johanna Lorenz', 'Joni Sherman']);
    assert.ok(names.length <= 5);
    assert.equal(result.person, undefined);
    assert.equal(rig.topLevel().length, 1, 'one round trip');
  });

  it("finds a UPN with an apostrophe (liam.o'brien@…)", async () => {
    const result = await rig.intune.searchDevices("liam.o'brien@contoso.onmicrosoft.com", 10);
    assert.deepEqual(
      result.devices.map((d) => d.deviceName),
      ["O'Brien's Lumia"],
    );
  });

  it('finds a Chinese device name', async () => {
    const result = await rig.intune.searchDevices('王小明', 10);
    assert.deepEqual(
      result.devices.map((d) => d.deviceName),
      ['王小明的 Lumia'],
    );
  });

  it('returns nothing (not everything) for a name nobody has', async () => {
    const result = await rig.intune.searchDevices('no such phone', 10);
    assert.deepEqual(result.devices, []);
    assert.equal(result.truncated, false);
    assert.equal(result.totalKnown, 0);
  });

  it('says truncated when more than `limit` devices match', async () => {
    const result = await rig.intune.searchDevices('lumia', 3);
    assert.equal(result.devices.length, 3);
    assert.equal(result.truncated, true);
    assert.equal(result.totalKnown, undefined);
  });

  it('refuses an unusable query before calling Graph', async () => {
    await assert.rejects(rig.intune.searchDevices(' \t ', 5), InvalidQueryError);
    await assert.rejects(rig.intune.searchDevices('lumia\u0000', 5), InvalidQueryError);
    await assert.rejects(rig.intune.searchDevices('x'.repeat(129), 5), InvalidQueryError);
    assert.equal(rig.emulator.requests.length, 0);
  });

  it('reads one device by id with $select on v1.0 (beta only for deviceType, joinType), and undefined for an unknown id', async () => {
    const id = tenant.managedDevices[0]!.id;
    const device = await rig.intune.getDevice(id);
    assert.equal(device?.id, id);
    assert.equal(device?.deviceName, tenant.managedDevices[0]!.deviceName);
    assert.equal(await rig.intune.getDevice('00000000-0000-0000-0000-000000000000'), undefined);
    const urls = rig.topLevel().map((r) => new URL(r.url, rig.emulator.url));
    const select = (version: string) =>
      urls
        .filter((u) => u.pathname.startsWith(`/${version}/`))
        .map((u) => u.searchParams.get('$select'));
    assert.equal(urls.length, 4);
    assert.deepEqual(select('beta'), ['deviceType,joinType', 'deviceType,joinType']);
    assert.ok(select('v1.0').every((s) => s?.includes('osVersion') && !s.includes('joinType')));
  });
});

describe('GraphIntune.searchDevices paging (emulator, small pages)', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ syntheticDevices: 12 }, { maxPageSize: 2 });
  });
  after(async () => rig.emulator.close());
  beforeEach(() => rig.emulator.resetRequests());

  it('follows @odata.nextLink until it has everything, and then knows the total', async () => {
    const expected = namesContaining('lumia');
    const result = await rig.intune.searchDevices('lumia', 50);
    assert.deepEqual(result.devices.map((d) => d.deviceName).sort(), expected.sort());
    assert.equal(result.truncated, false);
    assert.equal(result.totalKnown, expected.length);
    const pages = rig.topLevel();
    assert.equal(pages.length, Math.ceil(expected.length / 2));
    assert.ok(pages.slice(1).every((r) => r.method === 'GET' && r.url.includes('skiptoken')));
    assert.ok(pages.every((r) => r.authorization === 'Bearer passcode-desk-dev-token'));
  });

  it('stops paging once it has limit + 1 and says truncated', async () => {
    const result = await rig.intune.searchDevices('lumia', 3);
    assert.equal(result.devices.length, 3);
    assert.equal(result.truncated, true);
    assert.equal(rig.topLevel().length, 2); // 2 + 2 devices ≥ limit + 1
  });

  it('follows a nextLink from a $batch sub-response with a plain GET', async () => {
    // Serial-like, so both readings go out in one $batch; synthetic names SYN-DESKTOP-00000n match it.
    const expected = syntheticDevices(12, Date.now())
      .filter((d) => d.deviceName.includes('DESKTOP-00000'))
      .map((d) => d.id);
    assert.ok(expected.length > 2);
    const result = await rig.intune.searchDevices('DESKTOP-00000', 50);
    assert.deepEqual(result.interpretedAs, ['serialNumber', 'deviceName', 'person']);
    assert.deepEqual(result.devices.map((d) => d.id).sort(), expected.sort());
    assert.equal(result.truncated, false);
    const topLevel = rig.topLevel();
    assert.equal(new URL(topLevel[0]!.url, rig.emulator.url).pathname, '/v1.0/$batch');
    assert.equal(topLevel.length, Math.ceil(expected.length / 2));
    assert.ok(topLevel.slice(1).every((r) => r.method === 'GET' && r.url.includes('skiptoken')));
  });
});
