import assert from 'node:assert/strict';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startRig, type Rig } from './harness';

const PHONE = DEMO_TENANT.devices.alexLumia950;
const OTHER = DEMO_TENANT.devices.leeLumia650;

describe('GraphIntune reads the passcode whichever version carries it (v1.0, then beta)', () => {
  let rig: Rig;
  afterEach(async () => {
    await rig?.emulator.close();
  });

  async function doneResets(passcodeOnlyOnBeta: boolean): Promise<void> {
    rig = await startRig({ passcodeOnlyOnBeta, resetDelayMs: 60_000 });
    for (const id of [PHONE, OTHER]) {
      await rig.intune.resetPasscode(id);
      rig.emulator.completeReset(id);
    }
    rig.emulator.resetRequests();
  }

  it('takes it from v1.0 when v1.0 has it, without a beta read', async () => {
    await doneResets(false);
    const result = await rig.intune.getResetResult(PHONE);
    assert.equal(result?.actionState, 'done');
    assert.ok(result?.passcode);
    assert.deepEqual(
      rig.topLevel().map((r) => r.url.split('/')[1]),
      ['v1.0'],
    );
  });

  it('reads beta when v1.0 comes back without it, one device and batched', async () => {
    await doneResets(true);
    const one = await rig.intune.getResetResult(PHONE);
    assert.ok(one?.passcode, 'from beta');
    assert.deepEqual(
      rig.topLevel().map((r) => r.url.split('/')[1]),
      ['v1.0', 'beta'],
    );
    rig.emulator.resetRequests();
    const many = await rig.intune.getResetResults([PHONE, OTHER]);
    for (const id of [PHONE, OTHER]) {
      const read = many.get(id);
      assert.ok(read?.ok && read.result?.passcode, id);
    }
    assert.deepEqual(
      rig.topLevel().map((r) => r.url),
      ['/v1.0/$batch', '/beta/$batch'],
    );
  });

  it('answers done without a passcode when beta fails too (never an error, never a made-up passcode)', async () => {
    await doneResets(true);
    rig.emulator.fault(10, 500, /^\/beta\//);
    const result = await rig.intune.getResetResult(PHONE);
    assert.equal(result?.actionState, 'done');
    assert.equal(result?.passcode, undefined);
    const many = await rig.intune.getResetResults([PHONE]);
    const read = many.get(PHONE);
    assert.ok(read?.ok);
    assert.equal(read.result?.passcode, undefined);
  });
});
