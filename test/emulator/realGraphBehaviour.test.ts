import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { AUTH } from './support';

const PHONE = DEMO_TENANT.devices.alexLumia950;
type Json = Record<string, unknown>;

async function get(e: EmulatorHandle, path: string): Promise<{ status: number; body: Json }> {
  const reply = await fetch(`${e.url}${path}`, { headers: { Authorization: AUTH } });
  return { status: reply.status, body: (await reply.json()) as Json };
}
const list = (body: Json): Json[] => body.value as Json[];

describe('emulator: switches that behave like real Graph', () => {
  let e: EmulatorHandle;
  afterEach(async () => {
    await e?.close();
  });

  it('list rows differ from the single GET: beta lists say unknown, the device itself is right', async () => {
    e = await startEmulator({ listRowsDiffer: true });
    const select = '$select=id,deviceType,joinType,chassisType';
    const rows = list((await get(e, `/beta/deviceManagement/managedDevices?${select}`)).body);
    assert.ok(rows.length > 10);
    assert.ok(rows.every((r) => r.deviceType === 'unknown' && r.joinType === 'unknown'));
    const one = (await get(e, `/beta/deviceManagement/managedDevices/${PHONE}?${select}`)).body;
    assert.equal(one.deviceType, 'windowsPhone');
    assert.equal(one.joinType, 'azureADJoined');
    e.setBehaviour({ listRowsDiffer: false });
    const again = list((await get(e, `/beta/deviceManagement/managedDevices?${select}`)).body);
    assert.equal(again.find((r) => r.id === PHONE)?.deviceType, 'windowsPhone');
  });

  it('passcode only on beta: a v1.0 read of the done reset has no passcode, a beta one has it', async () => {
    e = await startEmulator({ passcodeOnlyOnBeta: true, resetDelayMs: 60_000 });
    const reset = await fetch(
      `${e.url}/v1.0/deviceManagement/managedDevices/${PHONE}/resetPasscode`,
      {
        method: 'POST',
        headers: { Authorization: AUTH },
      },
    );
    assert.equal(reset.status, 204);
    e.completeReset(PHONE);
    const entry = async (version: string) =>
      (
        (
          await get(
            e,
            `/${version}/deviceManagement/managedDevices/${PHONE}?$select=deviceActionResults`,
          )
        ).body.deviceActionResults as Json[]
      ).find((r) => r.actionName === 'resetPasscode')!;
    const v1 = await entry('v1.0');
    const beta = await entry('beta');
    assert.equal(v1.actionState, 'done');
    assert.equal(v1.passcode, null);
    assert.match(String(beta.passcode), /^\d{6,8}$/);
  });

  it('PIN recovery by Settings Catalog or Identity Protection replaces the custom profile; OMA values can be masked', async () => {
    e = await startEmulator({ pinRecovery: 'settingsCatalog' });
    const v1Profiles = list((await get(e, '/v1.0/deviceManagement/deviceConfigurations')).body);
    assert.ok(!v1Profiles.some((p) => JSON.stringify(p).includes('EnablePinRecovery')));
    const policies = list((await get(e, '/beta/deviceManagement/configurationPolicies')).body);
    assert.equal(policies.length, 1);
    const settings = (
      await get(
        e,
        `/beta/deviceManagement/configurationPolicies/${String(policies[0]!.id)}/settings`,
      )
    ).body;
    assert.match(JSON.stringify(settings), /_policies_enablepinrecovery_true/);
    assert.equal((await get(e, '/v1.0/deviceManagement/configurationPolicies')).status, 404);

    e.setBehaviour({ pinRecovery: 'identityProtection', maskOmaValues: true });
    const beta = list((await get(e, '/beta/deviceManagement/deviceConfigurations')).body);
    const identity = beta.find(
      (p) => p['@odata.type'] === '#microsoft.graph.windowsIdentityProtectionConfiguration',
    );
    assert.equal(identity?.pinRecoveryEnabled, true);
    const v1 = list((await get(e, '/v1.0/deviceManagement/deviceConfigurations')).body);
    assert.ok(!v1.some((p) => p.id === identity?.id), 'beta-only type');
    const custom = v1.find((p) => Array.isArray(p.omaSettings))!;
    const [setting] = custom.omaSettings as Json[];
    assert.equal(setting!.value, '****');
    assert.equal(setting!.isEncrypted, true);
    const plain = await get(
      e,
      `/v1.0/deviceManagement/deviceConfigurations/${String(custom.id)}/getOmaSettingPlainTextValue(secretReferenceValueId='${String(setting!.secretReferenceValueId)}')`,
    );
    assert.equal(plain.status, 200);
    assert.equal(typeof plain.body.value, 'string');
  });
});
