import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import {
  CredentialTokenSource,
  StaticTokenSource,
  type TokenSource,
} from '../../src/intune/credentials';
import { readinessText } from '../../src/readiness/messages';
import { requiredPermissions } from '../../src/intune/permissions';
import { permissionItems } from '../../src/readiness/permissionChecks';
import { checkReadiness } from '../../src/readiness/readiness';
import type { ReadinessReport } from '../../src/readiness/report';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import {
  assertFullyRendered,
  byId,
  emulatorWith,
  loopbackIntune,
  tempDir,
  testConfig,
  unsignedJwt,
  type TempDir,
} from './support';

const ALL_APPLICATION_PERMISSIONS = requiredPermissions('app').map((p) => p.name);
const WITHOUT_GROUPS = requiredPermissions('app')
  .filter((p) => !p.onlyWithGroups)
  .map((p) => p.name);
const RESET = 'DeviceManagementManagedDevices.PrivilegedOperations.All';
const GROUP = '33333333-3333-3333-3333-333333333333';

describe('checkReadiness: permissions read from the token (unsigned JWTs, emulator over HTTP)', function () {
  let dir: TempDir;
  let emulator: EmulatorHandle;

  before(async function () {
    emulator = await emulatorWith();
  });

  after(async function () {
    await emulator.close();
  });

  beforeEach(async function () {
    dir = await tempDir();
  });

  afterEach(async function () {
    await dir.remove();
  });

  /** The emulator takes any bearer token, so Graph answers while the token says what we crafted. */
  async function runWith(
    claims: Record<string, unknown>,
    env: Record<string, string | undefined> = {},
  ): Promise<{ report: ReadinessReport; tokenSource: TokenSource }> {
    const config = testConfig({
      GRAPH_BASE_URL: emulator.url,
      AZURE_TENANT_ID: emulator.tenantId,
      DATA_DIR: dir.path,
      ...env,
    });
    const tokenSource = new StaticTokenSource(unsignedJwt(claims));
    const report = await checkReadiness({
      config,
      intune: loopbackIntune(emulator.url, tokenSource),
      tokenSource,
      documents: async () => openSqliteStores(dir.path).documents,
    });
    return { report, tokenSource };
  }

  it('passes every application permission the roles hold, GroupMember.Read.All when groups are set', async function () {
    const { report } = await runWith(
      { roles: ALL_APPLICATION_PERMISSIONS },
      { HELPDESK_GROUP_IDS: GROUP },
    );
    assert.equal(report.permissionSource, 'roles');
    for (const name of ALL_APPLICATION_PERMISSIONS) {
      assert.equal(byId(report, `permission.${name}`).status, 'pass', name);
    }
    assert.equal(report.ok, true, JSON.stringify(report.items, null, 2));
    assertFullyRendered(report);
  });

  it('fails a missing PrivilegedOperations.All with a fix naming that application permission', async function () {
    const { report } = await runWith({
      roles: ALL_APPLICATION_PERMISSIONS.filter((name) => name !== RESET),
    });
    const reset = byId(report, `permission.${RESET}`);
    assert.equal(reset.status, 'fail');
    assert.equal(reset.fixKey, 'readiness.fix.permission.application');
    assert.equal(reset.detail, "missing from the token's roles");
    for (const locale of ['en', 'zh-TW'] as const) {
      assert.ok(readinessText(locale, reset.fixKey, reset.params).includes(RESET), locale);
    }
    assert.equal(report.ok, false);
    assert.equal(report.counts.fail, 1);
  });

  it('does not accept ReadWrite.All for the reset, but warns when a broader permission stands in for a read', async function () {
    const { report } = await runWith({
      roles: [
        'DeviceManagementManagedDevices.ReadWrite.All',
        'Directory.Read.All',
        'DeviceManagementConfiguration.Read.All',
      ],
    });
    assert.equal(byId(report, `permission.${RESET}`).status, 'fail');
    const read = byId(report, 'permission.DeviceManagementManagedDevices.Read.All');
    assert.equal(read.status, 'warn');
    assert.equal(read.fixKey, 'readiness.fix.permission.leastPrivilege');
    assert.equal(read.params.broader, 'DeviceManagementManagedDevices.ReadWrite.All');
    assert.equal(byId(report, 'permission.Application.Read.All').status, 'warn');
    assert.equal(byId(report, 'permission.DeviceManagementConfiguration.Read.All').status, 'pass');
    assertFullyRendered(report);
  });

  it('requires GroupMember.Read.All only when group ids are set', async function () {
    const roles = ALL_APPLICATION_PERMISSIONS.filter((name) => name !== 'GroupMember.Read.All');
    const without = await runWith({ roles });
    assert.equal(byId(without.report, 'permission.GroupMember.Read.All').status, 'skip');
    assert.equal(without.report.ok, true);
    const withGroups = await runWith({ roles }, { ADMIN_GROUP_IDS: GROUP });
    assert.equal(byId(withGroups.report, 'permission.GroupMember.Read.All').status, 'fail');
    assert.equal(withGroups.report.ok, false);
  });

  it('reads delegated scopes from scp and gives the delegated fix', async function () {
    const { report } = await runWith(
      { scp: 'DeviceManagementManagedDevices.Read.All Application.Read.All openid' },
      { GRAPH_AUTH: 'delegated' },
    );
    assert.equal(report.permissionSource, 'scopes');
    assert.equal(byId(report, 'permission.DeviceManagementManagedDevices.Read.All').status, 'pass');
    const reset = byId(report, `permission.${RESET}`);
    assert.equal(reset.status, 'fail');
    assert.equal(reset.fixKey, 'readiness.fix.permission.delegated');
    assert.equal(reset.detail, "missing from the token's scp");
  });

  it('fails all of them for an application token without roles', async function () {
    const { report } = await runWith({ aud: 'https://graph.microsoft.com' });
    for (const name of WITHOUT_GROUPS) {
      assert.equal(byId(report, `permission.${name}`).status, 'fail', name);
    }
  });

  it("checks the token's tenant when AZURE_TENANT_ID is empty", async function () {
    const { report } = await runWith(
      { roles: ALL_APPLICATION_PERMISSIONS, tid: emulator.tenantId },
      { AZURE_TENANT_ID: undefined },
    );
    assert.equal(report.tenantId, emulator.tenantId);
    assert.equal(byId(report, 'prerequisite.enablePinRecoveryProfile').status, 'pass');
  });

  it('calls an opaque token the development token only on a loopback Graph', function () {
    const opaque = { kind: 'opaque' as const, values: [] };
    const onLoopback = permissionItems(opaque, true, 'app', true);
    const elsewhere = permissionItems(opaque, true, 'app', false);
    assert.ok(
      onLoopback.every((entry) => entry.status === 'skip' && entry.detail === 'development token'),
    );
    assert.ok(
      elsewhere.every(
        (entry) => entry.status === 'skip' && entry.detail === 'the token is not a readable JWT',
      ),
    );
  });

  it('never puts the token in the report', async function () {
    const claims = { roles: ALL_APPLICATION_PERMISSIONS, tid: emulator.tenantId };
    const { report } = await runWith(claims);
    const token = unsignedJwt(claims);
    const json = JSON.stringify(report);
    assert.ok(!json.includes(token));
    assert.ok(!json.includes(token.split('.')[1]!));
  });

  it('skips every permission when the token cannot be had, with the credentials fix', async function () {
    const config = testConfig({
      GRAPH_BASE_URL: emulator.url,
      AZURE_TENANT_ID: emulator.tenantId,
      DATA_DIR: dir.path,
    });
    // The app's own kind of token source, over a credential the identity platform refused.
    const failing = new CredentialTokenSource(
      {
        getToken: async () => {
          throw new Error('AADSTS7000215: Invalid client secret provided');
        },
      },
      'https://graph.microsoft.com/.default',
    );
    const report = await checkReadiness({
      config,
      intune: loopbackIntune(emulator.url, failing),
      tokenSource: failing,
      documents: async () => openSqliteStores(dir.path).documents,
    });
    const read = byId(report, 'permission.Application.Read.All');
    assert.equal(read.status, 'skip');
    assert.equal(read.fixKey, 'readiness.fix.graph.credentials');
    assert.match(read.detail ?? '', /AADSTS7000215/);
    assert.equal(byId(report, 'graph.reachable').status, 'fail');
    assert.equal(byId(report, 'graph.reachable').fixKey, 'readiness.fix.graph.credentials');
  });
});
