import assert from 'node:assert/strict';
import type { TenantData } from '../../src/emulator/api';
import type { PrerequisiteId, PrerequisiteReport } from '../../src/domain/ports/intune';
import { PIN_RESET_CLIENT_APP_ID, PIN_RESET_SERVICE_APP_ID } from '../../src/intune/prerequisites';
import { readTenantFile, startRig } from './harness';

const PIN_PROFILE = 'c0f1e2d3-0001-4b5a-9c8d-7e6f5a4b3c21';
const PIN_GROUP = '5b1f2c3d-4444-4a4a-8b8b-000000000004';

async function checkWith(edit?: (tenant: TenantData) => void, tenantIdOverride?: string) {
  const tenant = readTenantFile();
  edit?.(tenant);
  const rig = await startRig({ tenant });
  try {
    const report = await rig.intune.checkPrerequisites(tenantIdOverride ?? rig.emulator.tenantId);
    return { report, topLevel: rig.topLevel(), subRequests: rig.subRequests() };
  } finally {
    await rig.emulator.close();
  }
}

const passed = (report: PrerequisiteReport): Record<PrerequisiteId, boolean> =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.passed])) as Record<PrerequisiteId, boolean>;
const detail = (report: PrerequisiteReport, id: PrerequisiteId): string =>
  report.checks.find((c) => c.id === id)?.detail ?? '';
const pinProfile = (tenant: TenantData) =>
  tenant.deviceConfigurations.find((c) => c.id === PIN_PROFILE)!;

describe('GraphIntune.checkPrerequisites (emulator over HTTP)', () => {
  it('passes on the demo tenant, in three batched round trips, with the profile name and group ids', async () => {
    const { report, topLevel, subRequests } = await checkWith();
    assert.equal(report.allPassed, true, JSON.stringify(report));
    assert.deepEqual(passed(report), {
      pinResetServicePrincipal: true,
      pinResetClientPrincipal: true,
      enablePinRecoveryProfile: true,
      enablePinRecoveryAssignment: true,
    });
    assert.match(detail(report, 'enablePinRecoveryProfile'), /Windows 10 Mobile - PIN recovery/);
    assert.match(detail(report, 'enablePinRecoveryAssignment'), new RegExp(PIN_GROUP));
    assert.doesNotMatch(detail(report, 'enablePinRecoveryAssignment'), /5b1f2c3d-6666/); // the exclusion
    // v1.0: principals and profiles, then the assignments; beta (in parallel): the
    // Identity Protection profiles and the Settings Catalog (none here, so no settings read).
    assert.deepEqual(topLevel.map((r) => r.url).sort(), [
      '/beta/$batch',
      '/v1.0/$batch',
      '/v1.0/$batch',
    ]);
    assert.match(detail(report, 'enablePinRecoveryProfile'), /^Windows 10 custom profile /);
    assert.deepEqual(report.checks.find((c) => c.id === 'enablePinRecoveryProfile')?.sources, [
      'customProfile',
    ]);
    const filters = subRequests
      .map((r) => new URL(r.url, 'http://x').searchParams.get('$filter'))
      .filter(Boolean);
    assert.deepEqual(filters, [
      `appId eq '${PIN_RESET_SERVICE_APP_ID}'`,
      `appId eq '${PIN_RESET_CLIENT_APP_ID}'`,
    ]);
    assert.ok(
      subRequests.some(
        (r) => r.url === `/v1.0/deviceManagement/deviceConfigurations/${PIN_PROFILE}/assignments`,
      ),
    );
  });

  it('fails the service check when the PIN reset service principal is missing', async () => {
    const { report } = await checkWith((t) => {
      t.servicePrincipals = t.servicePrincipals.filter((s) => s.appId !== PIN_RESET_SERVICE_APP_ID);
    });
    assert.equal(report.allPassed, false);
    assert.deepEqual(passed(report), {
      pinResetServicePrincipal: false,
      pinResetClientPrincipal: true,
      enablePinRecoveryProfile: true,
      enablePinRecoveryAssignment: true,
    });
  });

  it('fails the client check when the PIN reset client principal is missing', async () => {
    const { report } = await checkWith((t) => {
      t.servicePrincipals = t.servicePrincipals.filter((s) => s.appId !== PIN_RESET_CLIENT_APP_ID);
    });
    assert.equal(passed(report).pinResetClientPrincipal, false);
    assert.equal(passed(report).pinResetServicePrincipal, true);
  });

  it('fails the profile (and so the assignment) when no profile sets EnablePinRecovery', async () => {
    const { report } = await checkWith((t) => {
      t.deviceConfigurations = t.deviceConfigurations.filter((c) => c.id !== PIN_PROFILE);
    });
    assert.deepEqual(passed(report), {
      pinResetServicePrincipal: true,
      pinResetClientPrincipal: true,
      enablePinRecoveryProfile: false,
      enablePinRecoveryAssignment: false,
    });
  });

  it('fails the profile when the setting is false, and names the profile', async () => {
    const { report } = await checkWith((t) => {
      (pinProfile(t).omaSettings as Array<{ value: unknown }>)[0]!.value = false;
    });
    assert.equal(passed(report).enablePinRecoveryProfile, false);
    assert.match(detail(report, 'enablePinRecoveryProfile'), /not boolean true.*PIN recovery/);
  });

  it('fails the profile when the OMA-URI names another tenant', async () => {
    const { report } = await checkWith(undefined, '00000000-0000-0000-0000-000000000000');
    assert.equal(passed(report).enablePinRecoveryProfile, false);
  });

  it('fails the assignment when the profile is only excluded from a group', async () => {
    const { report } = await checkWith((t) => {
      const profile = pinProfile(t);
      profile.assignments = (profile.assignments ?? []).filter((a) =>
        a.target['@odata.type'].includes('exclusion'),
      );
    });
    assert.equal(passed(report).enablePinRecoveryProfile, true);
    assert.equal(passed(report).enablePinRecoveryAssignment, false);
  });

  it('fails the assignment when the profile is not assigned at all', async () => {
    const { report } = await checkWith((t) => {
      pinProfile(t).assignments = [];
    });
    assert.equal(passed(report).enablePinRecoveryAssignment, false);
    assert.equal(report.allPassed, false);
  });

  it('passes an assignment to all devices', async () => {
    const { report } = await checkWith((t) => {
      pinProfile(t).assignments = [
        { id: 'a1', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } },
      ];
    });
    assert.equal(passed(report).enablePinRecoveryAssignment, true);
    assert.match(detail(report, 'enablePinRecoveryAssignment'), /allDevices/);
  });
});

describe('GraphIntune.checkMemberGroups (emulator over HTTP)', () => {
  const TECHNICIANS = '5b1f2c3d-1111-4a4a-8b8b-000000000001';
  const ADMINS = '5b1f2c3d-2222-4a4a-8b8b-000000000002';

  it('answers transitive membership with POST /users/{id}/checkMemberGroups', async () => {
    const rig = await startRig();
    try {
      const megan = '0c3b2a91-4f5e-4d6c-8b7a-000000000002'; // technician
      const adminUser = '0c3b2a91-4f5e-4d6c-8b7a-000000000003'; // admin; admins are nested in technicians
      const alex = '0c3b2a91-4f5e-4d6c-8b7a-000000000001'; // neither
      assert.deepEqual(await rig.intune.checkMemberGroups(megan, [TECHNICIANS, ADMINS]), [
        TECHNICIANS,
      ]);
      assert.deepEqual(await rig.intune.checkMemberGroups(adminUser, [TECHNICIANS, ADMINS]), [
        TECHNICIANS,
        ADMINS,
      ]);
      assert.deepEqual(await rig.intune.checkMemberGroups(alex, [TECHNICIANS, ADMINS]), []);
      assert.ok(
        rig.topLevel().every((r) => r.method === 'POST' && r.url.endsWith('/checkMemberGroups')),
      );
    } finally {
      await rig.emulator.close();
    }
  });

  it('asks at most 20 group ids per call', async () => {
    const rig = await startRig();
    try {
      const many = Array.from(
        { length: 25 },
        (_, i) => `5b1f2c3d-9999-4a4a-8b8b-${String(i).padStart(12, '0')}`,
      );
      const result = await rig.intune.checkMemberGroups('0c3b2a91-4f5e-4d6c-8b7a-000000000002', [
        ...many,
        TECHNICIANS,
      ]);
      assert.deepEqual(result, [TECHNICIANS]);
      assert.equal(rig.topLevel().length, 2);
    } finally {
      await rig.emulator.close();
    }
  });
});
