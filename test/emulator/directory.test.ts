import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { readTenantFile } from '../../src/emulator/tenant';
import { call } from './support';

const { appIds, groups, users, deviceConfigurations: profiles } = DEMO_TENANT;
const byAppId = (appId: string) =>
  `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`;
const pinUri = `./Device/Vendor/MSFT/PassportForWork/${DEMO_TENANT.tenantId}/Policies/EnablePinRecovery`;

describe('emulator directory and configuration endpoints', () => {
  let emulator: EmulatorHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());

  describe('servicePrincipals', () => {
    it('finds both PIN reset apps by $filter on appId', async () => {
      for (const [appId, name] of [
        [appIds.pinResetService, 'Microsoft Pin Reset Service Production'],
        [appIds.pinResetClient, 'Microsoft Pin Reset Client Production'],
      ] as const) {
        const reply = await call(emulator, byAppId(appId));
        assert.equal(reply.status, 200);
        assert.equal(reply.body.value.length, 1);
        assert.equal(reply.body.value[0].appId, appId);
        assert.equal(reply.body.value[0].displayName, name);
        assert.ok(reply.body.value[0].id);
      }
    });

    it('finds them by the alternate key and answers 404 for an absent app', async () => {
      const found = await call(
        emulator,
        `/beta/servicePrincipals(appId='${appIds.pinResetClient}')`,
      );
      assert.equal(found.status, 200);
      assert.equal(found.body.appId, appIds.pinResetClient);
      const encoded = await call(
        emulator,
        `/v1.0/servicePrincipals(appId=%27${appIds.pinResetService}%27)`,
      );
      assert.equal(encoded.body.appId, appIds.pinResetService);
      const absent = await call(
        emulator,
        "/v1.0/servicePrincipals(appId='11111111-2222-3333-4444-555555555555')",
      );
      assert.equal(absent.status, 404);
      assert.equal(absent.body.error.code, 'Request_ResourceNotFound');
      const none = await call(emulator, byAppId('11111111-2222-3333-4444-555555555555'));
      assert.deepEqual(none.body.value, []);
    });

    it('is strict about directory filters (400 on what Entra ID does not support)', async () => {
      const reply = await call(
        emulator,
        `/v1.0/servicePrincipals?$filter=${encodeURIComponent("contains(appId,'b84')")}`,
      );
      assert.equal(reply.status, 400);
      const bad = await call(
        emulator,
        `/v1.0/servicePrincipals?$filter=${encodeURIComponent("appId eq 'x")}`,
      );
      assert.equal(bad.status, 400);
    });
  });

  describe('deviceConfigurations', () => {
    it('lists the PIN recovery custom profile with its omaSettings, and an unrelated profile', async () => {
      const reply = await call(emulator, '/beta/deviceManagement/deviceConfigurations');
      assert.equal(reply.status, 200);
      const pin = reply.body.value.find((c: { id: string }) => c.id === profiles.pinRecovery);
      assert.equal(pin['@odata.type'], '#microsoft.graph.windows10CustomConfiguration');
      assert.deepEqual(
        pin.omaSettings.map((s: Record<string, unknown>) => [s['@odata.type'], s.omaUri, s.value]),
        [['#microsoft.graph.omaSettingBoolean', pinUri, true]],
      );
      assert.equal(pin.assignments, undefined, 'assignments only with $expand');
      assert.ok(reply.body.value.some((c: { id: string }) => c.id === profiles.edgeStartPage));
    });

    it('lists assignments with typed targets, also through $expand', async () => {
      const reply = await call(
        emulator,
        `/v1.0/deviceManagement/deviceConfigurations/${profiles.pinRecovery}/assignments`,
      );
      assert.equal(reply.status, 200);
      const targets = reply.body.value.map((a: { target: Record<string, unknown> }) => a.target);
      assert.deepEqual(targets, [
        {
          '@odata.type': '#microsoft.graph.groupAssignmentTarget',
          groupId: groups.windows10MobileDevices,
        },
        {
          '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
          groupId: groups.kioskDevices,
        },
      ]);
      const other = await call(
        emulator,
        `/v1.0/deviceManagement/deviceConfigurations/${profiles.edgeStartPage}/assignments`,
      );
      assert.equal(
        other.body.value[0].target['@odata.type'],
        '#microsoft.graph.allDevicesAssignmentTarget',
      );
      const expanded = await call(
        emulator,
        '/v1.0/deviceManagement/deviceConfigurations?$expand=assignments',
      );
      const pin = expanded.body.value.find((c: { id: string }) => c.id === profiles.pinRecovery);
      assert.deepEqual(
        pin.assignments.map((a: { target: unknown }) => a.target),
        targets,
      );
      const missing = await call(
        emulator,
        '/v1.0/deviceManagement/deviceConfigurations/nope/assignments',
      );
      assert.equal(missing.status, 404);
    });
  });

  describe('users and groups', () => {
    it('gets a user by id or by UPN (apostrophes and case included)', async () => {
      const byId = await call(emulator, `/v1.0/users/${users.meganBowen}`);
      assert.equal(byId.status, 200);
      assert.equal(byId.body.userPrincipalName, 'megan.bowen@contoso.onmicrosoft.com');
      assert.equal(byId.body.displayName, 'Megan Bowen');
      const byUpn = await call(
        emulator,
        `/v1.0/users/${encodeURIComponent("Liam.O'Brien@contoso.onmicrosoft.com")}`,
      );
      assert.equal(byUpn.body.id, users.liamOBrien);
      assert.equal(byUpn.body.mail, "liam.o'brien@contoso.onmicrosoft.com");
      const selected = await call(
        emulator,
        `/v1.0/users/${users.wangXiaoming}?$select=displayName`,
      );
      assert.deepEqual(Object.keys(selected.body).sort(), ['@odata.context', 'displayName', 'id']);
      assert.equal(selected.body.displayName, '王小明');
      const missing = await call(emulator, '/v1.0/users/nobody@contoso.onmicrosoft.com');
      assert.equal(missing.status, 404);
    });

    it('lists users by $filter startswith on names and UPN, as a default query', async () => {
      const filter = (expr: string) =>
        call(emulator, `/v1.0/users?$filter=${encodeURIComponent(expr)}&$select=displayName`);
      const names = (reply: { body: { value?: Array<{ displayName: string }> } }) =>
        (reply.body.value ?? []).map((u) => u.displayName).sort();
      const byName = await filter(
        "startswith(displayName,'alex wil') or startswith(surname,'alex wil') or startswith(userPrincipalName,'alex wil')",
      );
      assert.equal(byName.status, 200);
      assert.deepEqual(names(byName), ['Alex Wilber']);
      assert.deepEqual(names(await filter("startswith(surname,'wilb')")), ['Alex Wilber']);
      assert.deepEqual(names(await filter("startswith(userPrincipalName,'JO')")), [
        'Johanna Lorenz',
        'Joni Sherman',
      ]);
      assert.deepEqual(names(await filter("startswith(givenName,'小明')")), ['王小明']);
      assert.deepEqual(names(await filter("startswith(surname,'O''Brien')")), ["Liam O'Brien"]);
      // contains on users is an advanced query: Graph refuses it rather than ignore it.
      const contains = await filter("contains(displayName,'alex')");
      assert.equal(contains.status, 400);
      assert.equal(contains.body.error.code, 'Request_UnsupportedQuery');
    });

    it('answers $search only with ConsistencyLevel: eventual, like Graph', async () => {
      const path = `/v1.0/users?$search=${encodeURIComponent('"displayName:wilber"')}`;
      const without = await call(emulator, path);
      assert.equal(without.status, 400);
      assert.equal(without.body.error.code, 'Request_UnsupportedQuery');
      assert.match(without.body.error.message, /ConsistencyLevel: eventual/);
      const withHeader = await call(emulator, path, { headers: { ConsistencyLevel: 'eventual' } });
      assert.equal(withHeader.status, 200);
      assert.deepEqual(
        (withHeader.body.value as Array<{ displayName: string }>).map((u) => u.displayName),
        ['Alex Wilber'],
      );
    });

    it('checkMemberGroups answers transitive membership', async () => {
      const wanted = [groups.helpdeskTechnicians, groups.helpdeskAdmins, groups.helpdeskTier2];
      const check = async (user: string) => {
        const reply = await call(emulator, `/v1.0/users/${user}/checkMemberGroups`, {
          method: 'POST',
          body: { groupIds: wanted },
        });
        assert.equal(reply.status, 200);
        return reply.body.value as string[];
      };
      assert.deepEqual(await check(users.meganBowen), [groups.helpdeskTechnicians]);
      assert.deepEqual(await check(users.nestorWilke), [
        groups.helpdeskTechnicians,
        groups.helpdeskTier2,
      ]);
      assert.deepEqual(await check(users.adeleVance), [
        groups.helpdeskTechnicians,
        groups.helpdeskAdmins,
      ]);
      assert.deepEqual(await check(users.diegoSiciliani), []);
      assert.deepEqual(await check('lee.gu@contoso.onmicrosoft.com'), [groups.helpdeskTechnicians]);
    });

    it('checkMemberGroups validates its body', async () => {
      const path = `/v1.0/users/${users.meganBowen}/checkMemberGroups`;
      assert.equal((await call(emulator, path, { method: 'POST', body: {} })).status, 400);
      assert.equal(
        (await call(emulator, path, { method: 'POST', body: { groupIds: [1] } })).status,
        400,
      );
      const tooMany = Array.from({ length: 21 }, (_, i) => `g${i}`);
      assert.equal(
        (await call(emulator, path, { method: 'POST', body: { groupIds: tooMany } })).status,
        400,
      );
      const unknownUser = await call(emulator, '/v1.0/users/nobody/checkMemberGroups', {
        method: 'POST',
        body: { groupIds: [] },
      });
      assert.equal(unknownUser.status, 404);
    });

    it('lists transitiveMemberOf', async () => {
      const reply = await call(emulator, `/v1.0/users/${users.isaiahLanger}/transitiveMemberOf`);
      const ids = reply.body.value.map((g: { id: string }) => g.id).sort();
      assert.deepEqual(
        ids,
        [groups.helpdeskTechnicians, groups.helpdeskTier2, groups.allStaff].sort(),
      );
    });
  });
});

describe('emulator with a modified tenant', () => {
  it('serves a tenant given as data, with prerequisites removed', async () => {
    const tenant = readTenantFile();
    tenant.servicePrincipals = tenant.servicePrincipals.filter(
      (s) => s.appId !== appIds.pinResetClient,
    );
    const pin = tenant.deviceConfigurations.find((c) => c.id === profiles.pinRecovery)!;
    pin.assignments = [];
    tenant.deviceConfigurations = tenant.deviceConfigurations.filter(
      (c) => c.id !== profiles.edgeStartPage,
    );
    const emulator = await startEmulator({ port: 0, tenant });
    try {
      assert.deepEqual((await call(emulator, byAppId(appIds.pinResetClient))).body.value, []);
      assert.equal(
        (await call(emulator, `/v1.0/servicePrincipals(appId='${appIds.pinResetClient}')`)).status,
        404,
      );
      assert.equal((await call(emulator, byAppId(appIds.pinResetService))).body.value.length, 1);
      const assignments = await call(
        emulator,
        `/v1.0/deviceManagement/deviceConfigurations/${profiles.pinRecovery}/assignments`,
      );
      assert.deepEqual(assignments.body.value, []);
      const list = await call(emulator, '/v1.0/deviceManagement/deviceConfigurations');
      assert.deepEqual(
        list.body.value.map((c: { id: string }) => c.id).includes(profiles.edgeStartPage),
        false,
      );
    } finally {
      await emulator.close();
    }
    // The data passed in is copied, not kept: the caller's object is unchanged by loading.
    assert.equal(typeof tenant.managedDevices[0]?.lastSyncDateTime, 'string');
    assert.match(String(tenant.managedDevices[0]?.lastSyncDateTime), /^@now/);
  });

  it('serves a tenant file given by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-tenant-'));
    try {
      const tenant = readTenantFile();
      tenant.managedDevices = tenant.managedDevices.slice(0, 3);
      const file = join(dir, 'tenant.json');
      writeFileSync(file, JSON.stringify(tenant));
      const emulator = await startEmulator({ port: 0, tenantFile: file });
      try {
        const reply = await call(emulator, '/v1.0/deviceManagement/managedDevices?$count=true');
        assert.equal(reply.body['@odata.count'], 3);
      } finally {
        await emulator.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
