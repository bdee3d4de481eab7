import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { startEmulator } from '../../src/emulator/server';
import { syntheticDevices } from '../../src/emulator/synthetic';
import { readTenantFile } from '../../src/emulator/tenant';
import { call, devicesWhere, ids } from './support';

const DEMO_COUNT = readTenantFile().managedDevices.length;
const SYNTHETIC = 100_000;

describe('emulator synthetic tenant', () => {
  it('generates deterministic devices with unique names, serials and UPNs', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const a = syntheticDevices(5_000, now);
    assert.deepEqual(syntheticDevices(5_000, now), a);
    for (const key of [
      'id',
      'deviceName',
      'serialNumber',
      'userPrincipalName',
      'azureADDeviceId',
    ] as const) {
      assert.equal(new Set(a.map((d) => d[key])).size, a.length, key);
    }
    const platforms = new Set(a.map((d) => d.operatingSystem));
    assert.deepEqual([...platforms].sort(), ['Android', 'Windows', 'iOS', 'iPadOS', 'macOS']);
    const phones = a.filter((d) => d.deviceType === 'windowsPhone').length;
    assert.ok(
      phones > 0 && phones < a.length / 5,
      `${phones} Windows phones: present but a minority`,
    );
    assert.notDeepEqual(syntheticDevices(50, now, 7), syntheticDevices(50, now));
  });

  describe('with 100,000 devices over HTTP', () => {
    let emulator: EmulatorHandle;
    before(async () => {
      emulator = await startEmulator({ port: 0, syntheticDevices: SYNTHETIC });
    });
    after(() => emulator.close());

    it('counts every device', async () => {
      const reply = await call(
        emulator,
        '/beta/deviceManagement/managedDevices?$count=true&$top=1&$select=id',
      );
      assert.equal(reply.body['@odata.count'], DEMO_COUNT + SYNTHETIC);
      assert.ok(reply.body['@odata.nextLink']);
    });

    it('answers eq filters on indexed properties correctly', async () => {
      const serial = await call(emulator, devicesWhere("serialNumber eq 'syn000054321'"));
      assert.equal(serial.status, 200);
      assert.equal(serial.body.value.length, 1);
      const device = serial.body.value[0];
      assert.equal(device.serialNumber, 'SYN000054321');
      assert.equal(device.id, `5e000000-0000-4000-8000-${(54321).toString(16).padStart(12, '0')}`);

      const byUpn = await call(
        emulator,
        devicesWhere(`userPrincipalName eq '${device.userPrincipalName}'`),
      );
      assert.deepEqual(ids(byUpn), [device.id]);
      const byName = await call(emulator, devicesWhere(`deviceName eq '${device.deviceName}'`));
      assert.deepEqual(ids(byName), [device.id]);
      const byAad = await call(
        emulator,
        devicesWhere(`azureADDeviceId eq '${device.azureADDeviceId}'`),
      );
      assert.deepEqual(ids(byAad), [device.id]);
      const combined = await call(
        emulator,
        devicesWhere(`deviceName eq '${device.deviceName}' and operatingSystem eq 'NoSuchOS'`),
      );
      assert.deepEqual(ids(combined), []);
    });

    it('answers contains and combined filters', async () => {
      const one = await call(emulator, devicesWhere("contains(deviceName,'-054321')"));
      assert.equal(one.body.value.length, 1);
      assert.match(one.body.value[0].deviceName, /^SYN-.+-054321$/);
      const phones = await call(
        emulator,
        devicesWhere(
          "operatingSystem eq 'Windows' and contains(osVersion,'10.0.15063')",
          'beta',
          '&$count=true&$top=50',
        ),
      );
      assert.ok(phones.body['@odata.count'] > 0);
      for (const d of phones.body.value) {
        assert.equal(d.operatingSystem, 'Windows');
        assert.ok(d.osVersion.includes('10.0.15063'));
      }
    });
  });
});
