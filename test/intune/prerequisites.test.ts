import assert from 'node:assert/strict';
import {
  enablePinRecoveryUri,
  includedTargets,
  judgeProfiles,
} from '../../src/intune/prerequisites';

const TENANT = '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b';
const profile = (
  id: string,
  omaSettings: unknown[],
  type = '#microsoft.graph.windows10CustomConfiguration',
) => ({
  '@odata.type': type,
  id,
  displayName: `Profile ${id}`,
  omaSettings,
});
const setting = (
  value: unknown,
  omaUri = enablePinRecoveryUri(TENANT),
  type = '#microsoft.graph.omaSettingBoolean',
) => ({
  '@odata.type': type,
  displayName: 'EnablePinRecovery',
  omaUri,
  value,
});

describe('intune/prerequisites (pure parts)', () => {
  it('accepts the OMA-URI with boolean true, case-insensitively', () => {
    const verdict = judgeProfiles(
      [profile('p1', [setting(true, enablePinRecoveryUri(TENANT).toUpperCase())])],
      TENANT,
    );
    assert.deepEqual(
      verdict.enabling.map((p) => p.id),
      ['p1'],
    );
  });

  it('does not accept false, the string "true", or another tenant id', () => {
    const verdict = judgeProfiles(
      [
        profile('false', [setting(false)]),
        profile('string', [setting('true', undefined, '#microsoft.graph.omaSettingString')]),
        profile('other-tenant', [
          setting(true, enablePinRecoveryUri('00000000-0000-0000-0000-000000000000')),
        ]),
      ],
      TENANT,
    );
    assert.deepEqual(verdict.enabling, []);
    assert.deepEqual(
      verdict.otherValue.map((p) => p.id),
      ['false', 'string'],
    );
  });

  it('only looks at Windows 10 custom profiles', () => {
    const verdict = judgeProfiles(
      [profile('ios', [setting(true)], '#microsoft.graph.iosCustomConfiguration')],
      TENANT,
    );
    assert.deepEqual(verdict.enabling, []);
  });

  it('counts groups, all devices and all users, never exclusions', () => {
    const target = (type: string, extra: Record<string, unknown> = {}) => ({
      target: { '@odata.type': type, ...extra },
    });
    assert.deepEqual(
      includedTargets([
        target('#microsoft.graph.groupAssignmentTarget', { groupId: 'g1' }),
        target('#microsoft.graph.exclusionGroupAssignmentTarget', { groupId: 'g2' }),
        target('#microsoft.graph.allDevicesAssignmentTarget'),
        target('#microsoft.graph.allLicensedUsersAssignmentTarget'),
      ]),
      ['g1', 'allDevices', 'allLicensedUsers'],
    );
    assert.deepEqual(
      includedTargets([
        target('#microsoft.graph.exclusionGroupAssignmentTarget', { groupId: 'g2' }),
      ]),
      [],
    );
  });
});
