import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DevTokenSource, TokenAcquisitionError } from '../../src/intune/credentials';
import { PIN_RESET_CLIENT_APP_ID, PIN_RESET_SERVICE_APP_ID } from '../../src/intune/prerequisites';
import { PIN_RESET_CONSENT_URLS } from '../../src/readiness/graphChecks';
import { readinessText } from '../../src/readiness/messages';
import { checkReadiness, type ReadinessDeps } from '../../src/readiness/readiness';
import type { ReadinessReport } from '../../src/readiness/report';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import {
  assertFullyRendered,
  byId,
  loopbackIntune,
  emulatorWith,
  tempDir,
  testConfig,
  type TempDir,
} from './support';

const PIN_PROFILE = 'c0f1e2d3-0001-4b5a-9c8d-7e6f5a4b3c21';
const PREREQUISITES = [
  'prerequisite.pinResetServicePrincipal',
  'prerequisite.pinResetClientPrincipal',
  'prerequisite.enablePinRecoveryProfile',
  'prerequisite.enablePinRecoveryAssignment',
];

const statusOf = (report: ReadinessReport): Record<string, string> =>
  Object.fromEntries(report.items.map((entry) => [entry.id, entry.status]));

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('checkReadiness (emulator over HTTP, SQLite on a temp DATA_DIR)', function () {
  let dir: TempDir;
  let emulator: EmulatorHandle | undefined;

  beforeEach(async function () {
    dir = await tempDir();
  });

  afterEach(async function () {
    await emulator?.close();
    emulator = undefined;
    await dir.remove();
  });

  async function run(
    env: Record<string, string | undefined> = {},
    extra: Partial<ReadinessDeps> = {},
  ): Promise<ReadinessReport> {
    emulator ??= await emulatorWith();
    const config = testConfig({
      GRAPH_BASE_URL: emulator.url,
      AZURE_TENANT_ID: emulator.tenantId,
      DATA_DIR: dir.path,
      ...env,
    });
    const tokenSource = new DevTokenSource(emulator.url);
    return checkReadiness({
      config,
      intune: loopbackIntune(emulator.url, tokenSource),
      tokenSource,
      documents: async () => openSqliteStores(config.DATA_DIR).documents,
      ...extra,
    });
  }

  it('checks only the prerequisites of the platforms RESET_PLATFORMS serves', async function () {
    const prerequisiteIds = (report: ReadinessReport) =>
      report.items.filter((i) => i.id.startsWith('prerequisite.')).map((i) => i.id);
    assert.deepEqual(prerequisiteIds(await run({ RESET_PLATFORMS: 'windows10Mobile' })), [
      'prerequisite.pinResetServicePrincipal',
      'prerequisite.pinResetClientPrincipal',
      'prerequisite.enablePinRecoveryProfile',
      'prerequisite.enablePinRecoveryAssignment',
    ]);
    assert.deepEqual(prerequisiteIds(await run({ RESET_PLATFORMS: 'ios,aospUserless' })), [
      'prerequisite.aospPasscodePolicy',
    ]);
  });

  it('passes on the demo tenant: permissions skipped for the dev token, the bot warned in local dev', async function () {
    const report = await run();
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.equal(report.tenantId, emulator!.tenantId);
    assert.equal(report.permissionSource, 'opaque');
    assert.deepEqual(statusOf(report), {
      'graph.reachable': 'pass',
      'permission.DeviceManagementManagedDevices.Read.All': 'skip',
      'permission.DeviceManagementManagedDevices.PrivilegedOperations.All': 'skip',
      'permission.GroupMember.Read.All': 'skip',
      'permission.User.Read.All': 'skip',
      'permission.Application.Read.All': 'skip',
      'permission.DeviceManagementConfiguration.Read.All': 'skip',
      'prerequisite.pinResetServicePrincipal': 'pass',
      'prerequisite.pinResetClientPrincipal': 'pass',
      'prerequisite.enablePinRecoveryProfile': 'pass',
      'prerequisite.enablePinRecoveryAssignment': 'pass',
      // Every platform is served by default: the Android Enterprise and AOSP policies too.
      'prerequisite.androidEnterprisePasscodePolicy': 'pass',
      'prerequisite.aospPasscodePolicy': 'pass',
      'storage.reachable': 'pass',
      'storage.roundTrip': 'pass',
      'bot.registration': 'warn',
    });
    assert.deepEqual(report.counts, { pass: 9, fail: 0, warn: 1, skip: 6 });
    assert.equal(byId(report, 'permission.Application.Read.All').detail, 'development token');
    assert.match(byId(report, 'permission.GroupMember.Read.All').detail ?? '', /not needed/);
    assert.equal(
      byId(report, 'bot.registration').detail,
      'local development: unauthenticated, loopback only',
    );
    assert.equal(byId(report, 'bot.registration').fixKey, 'readiness.fix.bot.localDevelopment');
    assertFullyRendered(report);

    // The probe document is gone again.
    const stores = openSqliteStores(dir.path);
    try {
      assert.deepEqual(await stores.documents.list('doctor'), []);
    } finally {
      await stores.documents.close();
    }
  });

  it('skips GroupMember.Read.All for the dev token too once group ids are set', async function () {
    const report = await run({ HELPDESK_GROUP_IDS: '33333333-3333-3333-3333-333333333333' });
    const group = byId(report, 'permission.GroupMember.Read.All');
    assert.equal(group.status, 'skip');
    assert.equal(group.detail, 'development token');
  });

  it('fails a missing PIN reset service principal with its consent link', async function () {
    emulator = await emulatorWith((t) => {
      t.servicePrincipals = t.servicePrincipals.filter((s) => s.appId !== PIN_RESET_SERVICE_APP_ID);
    });
    const report = await run();
    assert.equal(report.ok, false);
    const failed = byId(report, 'prerequisite.pinResetServicePrincipal');
    assert.equal(failed.status, 'fail');
    assert.equal(failed.detail, 'not found');
    assert.equal(failed.fixKey, 'readiness.fix.prerequisite.pinResetServicePrincipal');
    assert.ok(
      readinessText('en', failed.fixKey, failed.params).includes(PIN_RESET_CONSENT_URLS.service),
    );
    assert.equal(byId(report, 'prerequisite.pinResetClientPrincipal').status, 'pass');
    assert.equal(report.counts.fail, 1);
    assertFullyRendered(report);
  });

  it('fails a missing PIN reset client principal with the client consent link', async function () {
    emulator = await emulatorWith((t) => {
      t.servicePrincipals = t.servicePrincipals.filter((s) => s.appId !== PIN_RESET_CLIENT_APP_ID);
    });
    const report = await run();
    const failed = byId(report, 'prerequisite.pinResetClientPrincipal');
    assert.equal(failed.status, 'fail');
    assert.ok(
      readinessText('zh-TW', failed.fixKey, failed.params).includes(PIN_RESET_CONSENT_URLS.client),
    );
    assert.equal(byId(report, 'prerequisite.pinResetServicePrincipal').status, 'pass');
  });

  it('fails profile and assignment without the EnablePinRecovery profile, the fix naming the OMA-URI', async function () {
    emulator = await emulatorWith((t) => {
      t.deviceConfigurations = t.deviceConfigurations.filter((c) => c.id !== PIN_PROFILE);
    });
    const report = await run();
    const profile = byId(report, 'prerequisite.enablePinRecoveryProfile');
    assert.equal(profile.status, 'fail');
    assert.equal(profile.fixKey, 'readiness.fix.prerequisite.enablePinRecoveryProfile');
    assert.ok(
      readinessText('en', profile.fixKey, profile.params).includes(
        `./Device/Vendor/MSFT/PassportForWork/${emulator.tenantId}/Policies/EnablePinRecovery`,
      ),
    );
    assert.equal(byId(report, 'prerequisite.enablePinRecoveryAssignment').status, 'fail');
    assert.equal(report.counts.fail, 2);
    assertFullyRendered(report);
  });

  it('fails only the assignment when the profile is assigned to nobody', async function () {
    emulator = await emulatorWith((t) => {
      const profile = t.deviceConfigurations.find((c) => c.id === PIN_PROFILE)!;
      profile.assignments = [];
    });
    const report = await run();
    assert.equal(byId(report, 'prerequisite.enablePinRecoveryProfile').status, 'pass');
    const assignment = byId(report, 'prerequisite.enablePinRecoveryAssignment');
    assert.equal(assignment.status, 'fail');
    assert.equal(assignment.fixKey, 'readiness.fix.prerequisite.enablePinRecoveryAssignment');
  });

  it('blames the read permission, not consent, when Graph refuses the service principal lookup', async function () {
    emulator = await emulatorWith();
    emulator.fault(2, 403, /servicePrincipals/);
    const report = await run();
    for (const id of [
      'prerequisite.pinResetServicePrincipal',
      'prerequisite.pinResetClientPrincipal',
    ]) {
      const entry = byId(report, id);
      assert.equal(entry.status, 'fail');
      assert.match(entry.detail ?? '', /^not checked: 403/);
      assert.equal(entry.fixKey, 'readiness.fix.prerequisite.unreadable');
    }
  });

  it('fails every prerequisite with the permission fix when the profiles cannot be read', async function () {
    emulator = await emulatorWith();
    emulator.fault(1, 403, /v1\.0\/deviceManagement\/deviceConfigurations/);
    const report = await run();
    for (const id of PREREQUISITES) {
      assert.equal(byId(report, id).status, 'fail');
      assert.equal(byId(report, id).fixKey, 'readiness.fix.prerequisite.unreadable');
    }
  });

  it('fails Graph when nobody answers, and does not try the prerequisites', async function () {
    emulator = await emulatorWith();
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const config = testConfig({
      GRAPH_BASE_URL: dead,
      AZURE_TENANT_ID: emulator.tenantId,
      DATA_DIR: dir.path,
    });
    const report = await checkReadiness({
      config,
      intune: loopbackIntune(dead),
      documents: async () => openSqliteStores(dir.path).documents,
    });
    const graph = byId(report, 'graph.reachable');
    assert.equal(graph.status, 'fail');
    assert.equal(graph.fixKey, 'readiness.fix.graph.unreachable');
    assert.match(graph.detail ?? '', /NetworkError/);
    for (const id of PREREQUISITES) assert.equal(byId(report, id).status, 'skip');
    assert.equal(report.ok, false);
    assert.equal(byId(report, 'storage.roundTrip').status, 'pass');
    assertFullyRendered(report);
  });

  it('gives the credentials fix when Graph rejects the token', async function () {
    emulator = await emulatorWith();
    emulator.fault(1, 401, /managedDevices/);
    const report = await run();
    const graph = byId(report, 'graph.reachable');
    assert.equal(graph.status, 'fail');
    assert.equal(graph.fixKey, 'readiness.fix.graph.credentials');
  });

  it('gives the read permission fix when Graph forbids the device read', async function () {
    emulator = await emulatorWith();
    emulator.fault(1, 403, /managedDevices/);
    const report = await run();
    assert.equal(byId(report, 'graph.reachable').fixKey, 'readiness.fix.graph.forbidden');
    // Other reads may still work: the prerequisites were checked.
    assert.equal(byId(report, 'prerequisite.enablePinRecoveryProfile').status, 'pass');
  });

  it('reports a Graph credential that could not be built as a failure with its fix', async function () {
    emulator = await emulatorWith();
    const report = await run(
      {},
      {
        intune: undefined,
        tokenSource: undefined,
        graphError: new TokenAcquisitionError('no identity here'),
      },
    );
    const graph = byId(report, 'graph.reachable');
    assert.equal(graph.status, 'fail');
    assert.equal(graph.fixKey, 'readiness.fix.graph.credentials');
    assert.match(graph.detail ?? '', /no identity here/);
    assert.equal(byId(report, 'permission.Application.Read.All').status, 'skip');
    assert.equal(byId(report, PREREQUISITES[0]!).status, 'skip');
  });

  it('skips Graph in delegated mode when no technician token is at hand', async function () {
    emulator = await emulatorWith();
    const report = await run(
      { GRAPH_AUTH: 'delegated' },
      { intune: undefined, tokenSource: undefined },
    );
    const graph = byId(report, 'graph.reachable');
    assert.equal(graph.status, 'skip');
    assert.equal(graph.fixKey, 'readiness.fix.graph.delegated');
    assert.equal(byId(report, 'permission.Application.Read.All').status, 'skip');
    assert.equal(
      byId(report, 'permission.Application.Read.All').fixKey,
      'readiness.fix.permission.delegated',
    );
    assert.equal(report.permissionSource, 'none');
    assert.equal(report.ok, true);
    assert.equal(emulator.requests.length, 0);
  });

  it('warns when no tenant is known, and checks the tenant passed in otherwise', async function () {
    emulator = await emulatorWith();
    const unknown = await run({ AZURE_TENANT_ID: undefined });
    for (const id of PREREQUISITES) {
      assert.equal(byId(unknown, id).status, 'warn');
      assert.equal(byId(unknown, id).fixKey, 'readiness.fix.tenantId');
    }
    assert.equal(unknown.tenantId, undefined);
    const given = await run({ AZURE_TENANT_ID: undefined }, { tenantId: emulator.tenantId });
    assert.equal(given.tenantId, emulator.tenantId);
    for (const id of PREREQUISITES) assert.equal(byId(given, id).status, 'pass');
  });
});
