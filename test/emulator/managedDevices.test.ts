import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { readTenantFile } from '../../src/emulator/tenant';
import type { DeviceRecord } from '../../src/emulator/tenantData';
import { call, devicesWhere, ids } from './support';

const D = DEMO_TENANT.devices;
const stored = readTenantFile().managedDevices;
const allIds = stored.map((d) => d.id);
const where = (test: (d: DeviceRecord) => boolean): string[] =>
  stored.filter(test).map((d) => d.id);

describe('emulator managedDevices', () => {
  let emulator: EmulatorHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());

  /** All ids a filter returns, asked with $top=1000 so one page holds them. */
  async function matching(filter: string, version = 'beta'): Promise<string[]> {
    const reply = await call(emulator, devicesWhere(filter, version, '&$top=1000&$select=id'));
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body['@odata.nextLink'], undefined);
    return ids(reply);
  }

  describe('$filter that Intune honours', () => {
    it('operatingSystem eq, case-insensitively, and an or of eq on it', async () => {
      assert.deepEqual(
        await matching("operatingSystem eq 'windows'"),
        where((d) => d.operatingSystem === 'Windows'),
      );
      const either = await matching("operatingSystem eq 'iOS' or operatingSystem eq 'Android'");
      assert.deepEqual(
        either,
        where((d) => d.operatingSystem === 'iOS' || d.operatingSystem === 'Android'),
      );
      assert.ok(either.includes(D.meganIPhone) && either.includes(D.pradeepAndroid));
    });

    it('deviceName eq finds both phones that share a name', async () => {
      assert.deepEqual(await matching("deviceName eq 'Lumia 950'"), [
        D.alexLumia950,
        D.lynneLumia950,
      ]);
      assert.deepEqual(await matching("deviceName eq 'lumia 950'"), [
        D.alexLumia950,
        D.lynneLumia950,
      ]);
    });

    it("deviceName eq with a doubled quote finds O'Brien's Lumia", async () => {
      assert.deepEqual(await matching("deviceName eq 'O''Brien''s Lumia'"), [D.obrienLumia]);
    });

    it('deviceName eq and contains work with Chinese characters', async () => {
      assert.deepEqual(await matching("deviceName eq '王小明的 Lumia'"), [D.wangLumia]);
      assert.deepEqual(await matching("contains(deviceName,'王小明')"), [D.wangLumia]);
    });

    it('deviceName contains, and startswith that behaves like contains', async () => {
      const expected = where((d) => d.deviceName.toLowerCase().includes('lumia 950'));
      assert.deepEqual(await matching("contains(deviceName,'LUMIA 950')"), expected);
      const starts = await matching("startswith(deviceName,'Lumia 950')");
      assert.deepEqual(starts, expected);
      assert.ok(
        starts.includes(D.adeleLumia950XL),
        'startswith also finds "Adele\'s Lumia 950 XL"',
      );
    });

    it('userPrincipalName eq (with an apostrophe) and ne', async () => {
      assert.deepEqual(
        await matching("userPrincipalName eq 'LIAM.O''BRIEN@contoso.onmicrosoft.com'"),
        [D.obrienLumia],
      );
      const alex = await matching("userPrincipalName eq 'alex.wilber@contoso.onmicrosoft.com'");
      assert.deepEqual(alex, [D.alexLumia950, D.alexDesktop, D.alexLumia650]);
      const notAlex = await matching("userPrincipalName ne 'alex.wilber@contoso.onmicrosoft.com'");
      assert.deepEqual(
        notAlex,
        allIds.filter((id) => !alex.includes(id)),
      );
    });

    it('serialNumber eq, case-insensitively', async () => {
      const failing = stored.find((d) => d.id === D.failingReset)!;
      assert.deepEqual(
        await matching(`serialNumber eq '${String(failing.serialNumber).toLowerCase()}'`),
        [D.failingReset],
      );
      assert.deepEqual(await matching("serialNumber eq 'NO-SUCH-SERIAL'"), []);
    });

    it('model eq and contains', async () => {
      assert.deepEqual(await matching("model eq 'hp elite x3'"), [
        D.nestorEliteX3,
        D.endsNotSupported,
      ]);
      assert.deepEqual(await matching("contains(model,'IDOL')"), [D.pattiIdol4S, D.irvinIdol4S]);
    });

    it('osVersion contains', async () => {
      assert.deepEqual(await matching("contains(osVersion,'10.0.14393')"), [D.tooOld]);
      assert.deepEqual(
        await matching("contains(osVersion,'.15254.')"),
        where((d) => String(d.osVersion).includes('.15254.')),
      );
    });

    it('azureADDeviceId eq, quoted or as a bare GUID', async () => {
      const target = stored.find((d) => d.id === D.kioskLumia)!;
      const aad = String(target.azureADDeviceId);
      assert.deepEqual(await matching(`azureADDeviceId eq '${aad}'`), [D.kioskLumia]);
      assert.deepEqual(await matching(`azureADDeviceId eq ${aad.toUpperCase()}`), [D.kioskLumia]);
    });

    it('complianceState and managementAgent eq', async () => {
      assert.deepEqual(
        await matching("complianceState eq 'noncompliant'"),
        where((d) => d.complianceState === 'noncompliant'),
      );
      assert.ok((await matching("complianceState eq 'noncompliant'")).includes(D.neverChecksIn));
      assert.deepEqual(await matching("managementAgent eq 'configurationManagerClientMdm'"), [
        D.hybridDesktop,
      ]);
    });

    it('lastSyncDateTime and enrolledDateTime lt/gt', async () => {
      const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
      assert.deepEqual(await matching(`lastSyncDateTime lt ${monthAgo}`), [D.neverChecksIn]);
      const recent = await matching(`lastSyncDateTime gt ${monthAgo}`);
      assert.deepEqual(
        recent,
        allIds.filter((id) => id !== D.neverChecksIn),
      );
      const cutoff = new Date(Date.now() - 160 * 86_400_000).toISOString();
      assert.deepEqual(await matching(`enrolledDateTime gt ${cutoff}`), [D.alexLumia650]);
    });

    it('and combines clauses', async () => {
      const phones = await matching(
        "operatingSystem eq 'Windows' and contains(deviceName,'lumia') and contains(osVersion,'10.0.15063')",
      );
      const expected = where(
        (d) =>
          d.operatingSystem === 'Windows' &&
          d.deviceName.toLowerCase().includes('lumia') &&
          String(d.osVersion).includes('10.0.15063'),
      );
      assert.deepEqual(phones, expected);
      assert.ok(expected.length >= 3);
    });

    it('works the same on v1.0', async () => {
      assert.deepEqual(await matching("deviceName eq 'Lumia 950'", 'v1.0'), [
        D.alexLumia950,
        D.lynneLumia950,
      ]);
    });
  });

  describe('$filter quirks', () => {
    it('silently ignores a clause on an unsupported property or operator', async () => {
      const ignored = [
        "manufacturer eq 'HP'",
        "endswith(deviceName,'x3')",
        "serialNumber ne 'x'",
        "contains(serialNumber,'RM')",
        "osVersion eq '10.0.15063.850'",
        'lastSyncDateTime ge 2020-01-01T00:00:00Z',
        "not (deviceName eq 'Lumia 950')",
        "deviceType eq 'windowsPhone'",
        "deviceName eq 'Lumia 950' or deviceName eq 'Lumia 650'",
      ];
      for (const filter of ignored) {
        assert.deepEqual(await matching(filter), allIds, filter);
      }
    });

    it('ignores only the unsupported clause of an and', async () => {
      assert.deepEqual(
        await matching("operatingSystem eq 'iOS' and manufacturer eq 'Nobody'"),
        where((d) => d.operatingSystem === 'iOS'),
      );
    });

    it('refuses or across different properties with 400', async () => {
      for (const filter of [
        "deviceName eq 'Lumia 950' or serialNumber eq 'X'",
        "(operatingSystem eq 'iOS' and deviceName eq 'x') or operatingSystem eq 'Android'",
        "userPrincipalName eq 'a' or contains(deviceName,'a')",
      ]) {
        const reply = await call(emulator, devicesWhere(filter));
        assert.equal(reply.status, 400, filter);
        assert.equal(reply.body.error.code, 'BadRequest');
      }
    });

    it('answers malformed syntax, unknown properties and mismatched types with 400', async () => {
      for (const filter of [
        "deviceName eq 'O'Brien'",
        "deviceName eq 'unterminated",
        "deviceName eq 'x' and",
        '(deviceName eq',
        "colour eq 'red'",
        "lastSyncDateTime gt '2020-01-01'",
        'deviceName eq 5',
        '',
      ]) {
        const reply = await call(emulator, devicesWhere(filter));
        assert.equal(reply.status, 400, filter);
        assert.equal(reply.body.error.code, 'BadRequest');
        assert.ok(reply.body.error.innerError['request-id']);
      }
    });

    it('answers a beta-only property in a v1.0 filter with 400', async () => {
      const reply = await call(emulator, devicesWhere("deviceType eq 'windowsPhone'", 'v1.0'));
      assert.equal(reply.status, 400);
    });
  });

  describe('$select', () => {
    for (const property of ['deviceType', 'joinType']) {
      it(`refuses ${property} on v1.0 with 400 and returns it on beta`, async () => {
        const v1 = await call(
          emulator,
          `/v1.0/deviceManagement/managedDevices?$select=id,${property}`,
        );
        assert.equal(v1.status, 400);
        assert.match(v1.body.error.message, new RegExp(property));
        const one = await call(
          emulator,
          `/v1.0/deviceManagement/managedDevices/${D.alexLumia950}?$select=${property}`,
        );
        assert.equal(one.status, 400);
        const beta = await call(
          emulator,
          `/beta/deviceManagement/managedDevices?$select=id,deviceName,${property}`,
        );
        assert.equal(beta.status, 200);
        const alex = beta.body.value.find((d: { id: string }) => d.id === D.alexLumia950);
        assert.deepEqual(Object.keys(alex).sort(), ['deviceName', 'id', property].sort());
        assert.equal(alex[property], property === 'deviceType' ? 'windowsPhone' : 'azureADJoined');
      });
    }

    it('refuses an unknown property with 400', async () => {
      const reply = await call(
        emulator,
        '/beta/deviceManagement/managedDevices?$select=id,favouriteColour',
      );
      assert.equal(reply.status, 400);
    });

    it('returns all properties of the version without $select, and never emulator-only data', async () => {
      const v1 = await call(emulator, `/v1.0/deviceManagement/managedDevices/${D.failingReset}`);
      const beta = await call(emulator, `/beta/deviceManagement/managedDevices/${D.failingReset}`);
      assert.equal(v1.body.deviceName, 'Isaiah Lumia 950 XL');
      assert.ok(!('deviceType' in v1.body) && !('joinType' in v1.body));
      assert.equal(beta.body.deviceType, 'windowsPhone');
      assert.equal(beta.body.joinType, 'azureADJoined');
      for (const key of [
        'userPrincipalName',
        'serialNumber',
        'imei',
        'osVersion',
        'azureADRegistered',
        'deviceEnrollmentType',
        'lastSyncDateTime',
      ]) {
        assert.ok(key in v1.body && key in beta.body, key);
      }
      const list = await call(emulator, '/beta/deviceManagement/managedDevices?$top=1000');
      for (const body of [v1.body, beta.body, ...list.body.value]) {
        assert.ok(!Object.keys(body).some((k) => k.startsWith('_')), 'no _emulator data over HTTP');
      }
    });

    it('resolves relative times in the tenant file to ISO timestamps', async () => {
      const reply = await call(
        emulator,
        `/beta/deviceManagement/managedDevices/${D.neverChecksIn}?$select=lastSyncDateTime`,
      );
      const age = Date.now() - Date.parse(reply.body.lastSyncDateTime);
      assert.ok(age > 44 * 86_400_000 && age < 46 * 86_400_000, reply.body.lastSyncDateTime);
    });
  });

  describe('paging', () => {
    async function walk(first: string): Promise<{ ids: string[]; pages: number }> {
      const seen: string[] = [];
      let next: string | undefined = first;
      let pages = 0;
      while (next) {
        const reply = await call(emulator, next);
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        seen.push(...ids(reply));
        next = reply.body['@odata.nextLink'];
        if (next)
          assert.match(
            next,
            /^http:\/\/127\.0\.0\.1:\d+\/beta\/deviceManagement\/managedDevices\?.*\$skiptoken=/,
          );
        pages++;
        assert.ok(pages < 100, 'paging ends');
      }
      return { ids: seen, pages };
    }

    it('walks every device exactly once with $top and absolute nextLinks', async () => {
      const result = await walk(
        '/beta/deviceManagement/managedDevices?$top=5&$select=id,deviceName',
      );
      assert.deepEqual(result.ids, allIds);
      assert.equal(result.pages, Math.ceil(allIds.length / 5));
    });

    it('keeps $filter and $select on later pages', async () => {
      const first = devicesWhere(
        "operatingSystem eq 'Windows'",
        'beta',
        '&$top=4&$select=deviceName',
      );
      const result = await walk(first);
      assert.deepEqual(
        result.ids,
        where((d) => d.operatingSystem === 'Windows'),
      );
      const page2 = await call(emulator, (await call(emulator, first)).body['@odata.nextLink']);
      assert.deepEqual(Object.keys(page2.body.value[0]).sort(), ['deviceName', 'id']);
    });

    it('counts with $count=true and caps $top at 1000', async () => {
      const reply = await call(
        emulator,
        '/beta/deviceManagement/managedDevices?$count=true&$top=2&$select=id',
      );
      assert.equal(reply.body['@odata.count'], allIds.length);
      assert.equal(reply.body.value.length, 2);
      const big = await call(
        emulator,
        '/beta/deviceManagement/managedDevices?$top=5000&$select=id',
      );
      assert.equal(big.status, 200);
      assert.equal(big.body.value.length, allIds.length);
    });

    it('refuses a bad $top or $skiptoken with 400', async () => {
      for (const query of ['$top=0', '$top=-1', '$top=ten', '$skiptoken=garbage', '$count=maybe']) {
        const reply = await call(emulator, `/beta/deviceManagement/managedDevices?${query}`);
        assert.equal(reply.status, 400, query);
      }
    });
  });

  describe('deviceActionResults', () => {
    it('are empty in list responses and present on a single GET', async () => {
      const list = await call(
        emulator,
        devicesWhere(
          `serialNumber eq '${String(stored.find((d) => d.id === D.nestorEliteX3)!.serialNumber)}'`,
        ),
      );
      assert.deepEqual(list.body.value[0].deviceActionResults, []);
      const one = await call(emulator, `/v1.0/deviceManagement/managedDevices/${D.nestorEliteX3}`);
      assert.equal(one.body.deviceActionResults.length, 1);
      assert.equal(one.body.deviceActionResults[0].actionName, 'remoteLock');
      const selected = await call(
        emulator,
        `/v1.0/deviceManagement/managedDevices/${D.nestorEliteX3}?$select=deviceActionResults`,
      );
      assert.deepEqual(selected.body.deviceActionResults, one.body.deviceActionResults);
      assert.deepEqual(Object.keys(selected.body).sort(), [
        '@odata.context',
        'deviceActionResults',
        'id',
      ]);
    });

    it('answers an unknown device id with 404 ResourceNotFound', async () => {
      const reply = await call(
        emulator,
        '/v1.0/deviceManagement/managedDevices/00000000-0000-0000-0000-000000000000',
      );
      assert.equal(reply.status, 404);
      assert.equal(reply.body.error.code, 'ResourceNotFound');
    });
  });
});
