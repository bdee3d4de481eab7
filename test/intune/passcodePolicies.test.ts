import assert from 'node:assert/strict';
import type { TenantData } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import {
  ALL_RESET_PLATFORMS,
  PLATFORM_RULES,
  prerequisitesOf,
} from '../../src/domain/desk/eligibility';
import type { PrerequisiteId, PrerequisiteReport } from '../../src/domain/ports/intune';
import { readTenantFile, startRig } from './harness';

const P = DEMO_TENANT.deviceConfigurations;

async function checkWith(wanted: ReadonlySet<PrerequisiteId>, edit?: (t: TenantData) => void) {
  const tenant = readTenantFile();
  edit?.(tenant);
  const rig = await startRig({ tenant });
  try {
    const report = await rig.intune.checkPrerequisites(rig.emulator.tenantId, wanted);
    return { report, topLevel: rig.topLevel() };
  } finally {
    await rig.emulator.close();
  }
}

const check = (report: PrerequisiteReport, id: PrerequisiteId) =>
  report.checks.find((c) => c.id === id);

describe('check setup: the prerequisites of each enabled platform (emulator over HTTP)', () => {
  it('checks every row’s prerequisites when every platform is on, and all pass on the demo tenant', async () => {
    const wanted = prerequisitesOf(ALL_RESET_PLATFORMS);
    const every = new Set(
      PLATFORM_RULES.flatMap((r) => (r.supported ? r.reset.prerequisites : [])),
    );
    assert.deepEqual([...wanted].sort(), [...every].sort());
    const { report } = await checkWith(wanted);
    assert.deepEqual(report.checks.map((c) => c.id).sort(), [...every].sort());
    assert.equal(report.allPassed, true, JSON.stringify(report));
    assert.match(
      check(report, 'androidEnterprisePasscodePolicy')!.detail!,
      /Android Enterprise - Device passcode/,
    );
    assert.match(
      check(report, 'androidEnterprisePasscodePolicy')!.detail!,
      /Compliance \(password\)/,
    );
    assert.match(
      check(report, 'aospPasscodePolicy')!.detail!,
      new RegExp(DEMO_TENANT.groups.aospWithPasscode),
    );
  });

  it('checks only Windows 10 Mobile’s when only it is on (the seed, unchanged)', async () => {
    const { report } = await checkWith(prerequisitesOf(new Set(['windows10Mobile'])));
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [
        'pinResetServicePrincipal',
        'pinResetClientPrincipal',
        'enablePinRecoveryProfile',
        'enablePinRecoveryAssignment',
      ],
    );
  });

  it('checks only the passcode policy when only Android is on, reading beta', async () => {
    const { report, topLevel } = await checkWith(
      prerequisitesOf(new Set(['androidPersonalWorkProfile'])),
    );
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ['androidEnterprisePasscodePolicy'],
    );
    assert.ok(
      topLevel.every((r) => r.url === '/beta/$batch'),
      JSON.stringify(topLevel),
    );
  });

  it('fails with its detail when the AOSP profile is not assigned, or no policy requires a passcode', async () => {
    const aospOnly = prerequisitesOf(new Set(['aospUserless']));
    const unassigned = await checkWith(aospOnly, (t) => {
      t.deviceConfigurations.find((c) => c.id === P.aospPasscode)!.assignments = [];
    });
    assert.equal(unassigned.report.allPassed, false);
    assert.match(
      check(unassigned.report, 'aospPasscodePolicy')!.detail!,
      /not assigned: AOSP - Device passcode/,
    );

    const none = await checkWith(aospOnly, (t) => {
      t.deviceConfigurations.find((c) => c.id === P.aospPasscode)!.passwordRequiredType =
        'deviceDefault';
    });
    assert.deepEqual(check(none.report, 'aospPasscodePolicy'), {
      id: 'aospPasscodePolicy',
      passed: false,
      detail: 'no policy requires a passcode',
    });
  });

  it('counts an exclusion-only assignment as not assigned', async () => {
    const { report } = await checkWith(prerequisitesOf(new Set(['androidDedicated'])), (t) => {
      t.deviceConfigurations.find((c) => c.id === P.androidEnterprisePasscode)!.assignments = [
        {
          id: 'x',
          target: {
            '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
            groupId: DEMO_TENANT.groups.allStaff,
          },
        },
      ];
      t.deviceCompliancePolicies = [];
    });
    assert.equal(check(report, 'androidEnterprisePasscodePolicy')!.passed, false);
  });
});
