import assert from 'node:assert/strict';
import type { EmulatorOptions } from '../../src/emulator/api';
import type { PrerequisiteCheck, PrerequisiteReport } from '../../src/domain/ports/intune';
import { settingsEnablePinRecovery } from '../../src/intune/prerequisites';
import { startRig } from './harness';

const PIN_GROUP = '5b1f2c3d-4444-4a4a-8b8b-000000000004';

async function check(
  options: EmulatorOptions,
  beforeCheck?: (rig: Awaited<ReturnType<typeof startRig>>) => void,
) {
  const rig = await startRig(options);
  try {
    beforeCheck?.(rig);
    const report = await rig.intune.checkPrerequisites(rig.emulator.tenantId);
    return {
      report,
      requests: rig.emulator.requests.map((r) => `${r.method} ${r.url} ${r.status}`),
    };
  } finally {
    await rig.emulator.close();
  }
}

const byId = (report: PrerequisiteReport, id: PrerequisiteCheck['id']): PrerequisiteCheck =>
  report.checks.find((c) => c.id === id)!;

describe('checkPrerequisites: PIN recovery set by a custom profile, the Settings Catalog or Identity Protection', () => {
  it('finds a Settings Catalog policy (beta configurationPolicies) and its assignment, and says so', async () => {
    const { report, requests } = await check({ pinRecovery: 'settingsCatalog' });
    assert.equal(report.allPassed, true, JSON.stringify(report, null, 2));
    const profile = byId(report, 'enablePinRecoveryProfile');
    assert.deepEqual(profile.sources, ['settingsCatalog']);
    assert.match(
      profile.detail ?? '',
      /^Settings Catalog policy Windows Hello for Business - PIN recovery/,
    );
    const assignment = byId(report, 'enablePinRecoveryAssignment');
    assert.deepEqual(assignment.sources, ['settingsCatalog']);
    assert.match(assignment.detail ?? '', new RegExp(PIN_GROUP));
    assert.ok(
      requests.some((r) =>
        /^GET \/beta\/deviceManagement\/configurationPolicies\/[^/]+\/settings 200$/.test(r),
      ),
      requests.join('\n'),
    );
    assert.ok(
      requests.some((r) =>
        /^GET \/beta\/deviceManagement\/configurationPolicies\/[^/]+\/assignments 200$/.test(r),
      ),
    );
  });

  it('finds an Identity Protection profile (beta, pinRecoveryEnabled) that v1.0 does not list', async () => {
    const { report } = await check({ pinRecovery: 'identityProtection' });
    assert.equal(report.allPassed, true, JSON.stringify(report, null, 2));
    assert.deepEqual(byId(report, 'enablePinRecoveryProfile').sources, ['identityProtection']);
    assert.match(
      byId(report, 'enablePinRecoveryProfile').detail ?? '',
      /^Identity Protection profile /,
    );
  });

  it('reads a masked OMA value as "set, value hidden" (a warning to confirm), never as not set', async () => {
    const { report, requests } = await check({
      maskOmaValues: true,
      permissions: ['Application.Read.All', 'DeviceManagementConfiguration.Read.All'],
    });
    const profile = byId(report, 'enablePinRecoveryProfile');
    assert.equal(profile.passed, true);
    assert.equal(profile.unconfirmed, true);
    assert.match(profile.detail ?? '', /set, value hidden/);
    assert.ok(
      requests.some((r) => /getOmaSettingPlainTextValue.* 403$/.test(r)),
      'tried, refused without ReadWrite.All',
    );
    assert.equal(byId(report, 'enablePinRecoveryAssignment').passed, true);
  });

  it('resolves a masked value with getOmaSettingPlainTextValue when the app may', async () => {
    const { report } = await check({ maskOmaValues: true });
    const profile = byId(report, 'enablePinRecoveryProfile');
    assert.equal(profile.passed, true);
    assert.equal(profile.unconfirmed, undefined);
    assert.doesNotMatch(profile.detail ?? '', /hidden/);
  });

  it('keeps the v1.0 answer when the beta reads fail', async () => {
    const { report } = await check({}, (rig) => rig.emulator.fault(1, 503, /^\/beta\/\$batch/));
    assert.equal(report.allPassed, true, JSON.stringify(report, null, 2));
    assert.deepEqual(byId(report, 'enablePinRecoveryProfile').sources, ['customProfile']);
  });

  it('reads the Settings Catalog setting anywhere in the tree, for device or user scope, true only', () => {
    const setting = (id: string, value: string) => [
      {
        settingInstance: {
          groupSettingCollectionValue: [
            { children: [{ settingDefinitionId: id, choiceSettingValue: { value } }] },
          ],
        },
      },
    ];
    const tid = '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b';
    const device = 'device_vendor_msft_passportforwork_{tenantid}_policies_enablepinrecovery';
    const user = `user_vendor_msft_passportforwork_${tid}_policies_enablepinrecovery`;
    assert.equal(settingsEnablePinRecovery(setting(device, `${device}_true`), tid), true);
    assert.equal(settingsEnablePinRecovery(setting(user, `${user}_true`), tid), true);
    assert.equal(settingsEnablePinRecovery(setting(device, `${device}_false`), tid), false);
    assert.equal(
      settingsEnablePinRecovery(
        setting(device.replace('enablepinrecovery', 'usepassportforwork'), 'x_true'),
        tid,
      ),
      false,
    );
  });
});
