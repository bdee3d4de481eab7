import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { ANDROID_NO_PASSCODE_POLICY_CODE } from '../../src/emulator/platformOutcomes';
import { startEmulator } from '../../src/emulator/server';
import { call, ManualClock } from './support';

const D = DEMO_TENANT.devices;
const DELAY = 60_000;

describe('emulator resetPasscode', () => {
  let emulator: EmulatorHandle;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startEmulator({ port: 0, resetDelayMs: DELAY, now: clock.now });
  });
  afterEach(() => emulator.close());

  const reset = (id: string, version = 'beta') =>
    call(emulator, `/${version}/deviceManagement/managedDevices/${id}/resetPasscode`, {
      method: 'POST',
    });

  /** The resetPasscode entry of a single-device GET. */
  async function resetEntry(id: string, version = 'v1.0') {
    const reply = await call(
      emulator,
      `/${version}/deviceManagement/managedDevices/${id}?$select=deviceActionResults`,
    );
    assert.equal(reply.status, 200);
    const entries = reply.body.deviceActionResults.filter(
      (r: { actionName: string }) => r.actionName === 'resetPasscode',
    );
    assert.ok(entries.length <= 1, 'one resetPasscode entry at most');
    return entries[0];
  }

  it('answers 204 with no body, then goes pending → active → done with a 6-8 digit passcode', async () => {
    const started = clock.ms;
    const reply = await reset(D.alexLumia950);
    assert.equal(reply.status, 204);
    assert.equal(reply.body, undefined);
    assert.equal(emulator.resetCalls(D.alexLumia950), 1);

    const pending = await resetEntry(D.alexLumia950);
    assert.deepEqual(pending, {
      '@odata.type': '#microsoft.graph.resetPasscodeActionResult',
      actionName: 'resetPasscode',
      actionState: 'pending',
      startDateTime: new Date(started).toISOString(),
      lastUpdatedDateTime: new Date(started).toISOString(),
      passcode: null,
      errorCode: 0,
    });

    clock.advance(DELAY / 2);
    const active = await resetEntry(D.alexLumia950);
    assert.equal(active.actionState, 'active');
    assert.equal(active.passcode, null);

    clock.advance(DELAY / 2);
    const done = await resetEntry(D.alexLumia950, 'beta');
    assert.equal(done.actionState, 'done');
    assert.match(done.passcode, /^\d{6,8}$/);
    assert.equal(done.errorCode, 0);
    assert.equal(done.startDateTime, new Date(started).toISOString());
    assert.equal(done.lastUpdatedDateTime, new Date(started + DELAY).toISOString());
    assert.equal(
      (await resetEntry(D.alexLumia950)).passcode,
      done.passcode,
      'stable between reads',
    );
  });

  it('keeps deviceActionResults empty in the list even after a reset', async () => {
    await reset(D.alexLumia950);
    clock.advance(DELAY);
    const list = await call(
      emulator,
      `/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent("deviceName eq 'Lumia 950'")}`,
    );
    for (const device of list.body.value) assert.deepEqual(device.deviceActionResults, []);
  });

  it('replaces the entry on a second reset, with a new startDateTime', async () => {
    await reset(D.adeleLumia950XL);
    clock.advance(DELAY);
    const first = await resetEntry(D.adeleLumia950XL);
    assert.equal(first.actionState, 'done');
    clock.advance(5_000);
    await reset(D.adeleLumia950XL);
    const second = await resetEntry(D.adeleLumia950XL);
    assert.equal(second.actionState, 'pending');
    assert.equal(second.passcode, null);
    assert.equal(Date.parse(second.startDateTime) - Date.parse(first.startDateTime), DELAY + 5_000);
    assert.equal(emulator.resetCalls(D.adeleLumia950XL), 2);
  });

  it('shows a stored older resetPasscode result until a new reset replaces it', async () => {
    const old = await resetEntry(D.adeleLumia950XL);
    assert.equal(old.actionState, 'done');
    assert.equal(old.passcode, null);
    assert.ok(clock.ms - Date.parse(old.startDateTime) >= 9 * 86_400_000);
    await reset(D.adeleLumia950XL);
    assert.equal(
      (await resetEntry(D.adeleLumia950XL)).startDateTime,
      new Date(clock.ms).toISOString(),
    );
  });

  it('ends failed with the configured errorCode on the failing phone', async () => {
    await reset(D.failingReset);
    clock.advance(DELAY);
    const entry = await resetEntry(D.failingReset);
    assert.equal(entry.actionState, 'failed');
    assert.equal(entry.errorCode, DEMO_TENANT.failingResetErrorCode);
    assert.equal(entry.passcode, null);
  });

  it('stays pending forever on the phone that never checks in', async () => {
    await reset(D.neverChecksIn);
    clock.advance(30 * 86_400_000);
    const entry = await resetEntry(D.neverChecksIn);
    assert.equal(entry.actionState, 'pending');
    assert.equal(entry.passcode, null);
  });

  it('ends notSupported on platforms Intune cannot reset (desktop, macOS, device administrator, User Enrollment)', async () => {
    const unsupported = [
      D.alexDesktop,
      D.miriamMac,
      D.deviceAdminAndroid10,
      D.lidiaIPhoneUserEnrollment,
    ];
    for (const id of unsupported) assert.equal((await reset(id, 'v1.0')).status, 204);
    clock.advance(DELAY);
    for (const id of unsupported) {
      const entry = await resetEntry(id);
      assert.equal(entry.actionState, 'notSupported', id);
      assert.equal(entry.passcode, null);
    }
  });

  it('gives Android Enterprise and AOSP devices with a passcode profile a new passcode', async () => {
    const android = [
      D.pradeepAndroid,
      D.henriettaAndroidWorkProfile,
      D.kioskAndroidDedicated,
      D.christieAndroidCope,
      D.aospWithPolicy,
    ];
    for (const id of android) await reset(id);
    clock.advance(DELAY);
    for (const id of android) {
      const entry = await resetEntry(id);
      assert.equal(entry.actionState, 'done', id);
      assert.match(entry.passcode, /^\d{6,8}$/, id);
    }
  });

  it('fails an AOSP reset with an errorCode when no passcode profile applies to the device', async () => {
    await reset(D.aospWithoutPolicy);
    clock.advance(DELAY);
    const entry = await resetEntry(D.aospWithoutPolicy);
    assert.equal(entry.actionState, 'failed');
    assert.equal(entry.errorCode, ANDROID_NO_PASSCODE_POLICY_CODE);
    assert.equal(entry.passcode, null);
  });

  it('removes the passcode of iOS/iPadOS devices: done, with no passcode', async () => {
    for (const id of [D.meganIPhone, D.leeIPhone, D.adeleIPad]) await reset(id);
    clock.advance(DELAY);
    for (const id of [D.meganIPhone, D.leeIPhone, D.adeleIPad]) {
      const entry = await resetEntry(id);
      assert.equal(entry.actionState, 'done', id);
      assert.equal(entry.passcode, null, id);
      assert.equal(entry.errorCode, 0);
    }
  });

  it('setResetOutcome forces only the next reset', async () => {
    emulator.setResetOutcome(D.leeLumia650, { state: 'failed', errorCode: 42 });
    await reset(D.leeLumia650);
    clock.advance(DELAY);
    assert.deepEqual(
      [(await resetEntry(D.leeLumia650)).actionState, (await resetEntry(D.leeLumia650)).errorCode],
      ['failed', 42],
    );
    await reset(D.leeLumia650);
    clock.advance(DELAY);
    assert.equal((await resetEntry(D.leeLumia650)).actionState, 'done');
    emulator.setResetOutcome(D.leeLumia650, { state: 'canceled' });
    await reset(D.leeLumia650);
    clock.advance(DELAY);
    assert.equal((await resetEntry(D.leeLumia650)).actionState, 'canceled');
    assert.equal((await resetEntry(D.leeLumia650)).errorCode, 0);
    emulator.setResetOutcome(D.leeLumia650, { state: 'notSupported', errorCode: 7 });
    await reset(D.leeLumia650);
    clock.advance(DELAY);
    const unsupported = await resetEntry(D.leeLumia650);
    assert.deepEqual([unsupported.actionState, unsupported.errorCode], ['notSupported', 7]);
    assert.throws(() => emulator.setResetOutcome('no-such-device', { state: 'done' }));
  });

  it('completeReset finishes a pending reset now', async () => {
    await reset(D.neverChecksIn);
    clock.advance(1_000);
    emulator.completeReset(D.neverChecksIn);
    const done = await resetEntry(D.neverChecksIn);
    assert.equal(done.actionState, 'done');
    assert.match(done.passcode, /^\d{6,8}$/);
    assert.equal(done.lastUpdatedDateTime, new Date(clock.ms).toISOString());

    await reset(D.pattiIdol4S);
    emulator.completeReset(D.pattiIdol4S, 'failed', -1);
    assert.deepEqual(
      [(await resetEntry(D.pattiIdol4S)).actionState, (await resetEntry(D.pattiIdol4S)).errorCode],
      ['failed', -1],
    );
    assert.throws(() => emulator.completeReset(D.irvinIdol4S), /No resetPasscode/);
  });

  it('hides the passcode seven days after the reset finished', async () => {
    await reset(D.kioskLumia);
    clock.advance(DELAY + 7 * 86_400_000 - 1);
    assert.match((await resetEntry(D.kioskLumia)).passcode, /^\d{6,8}$/);
    clock.advance(1);
    const later = await resetEntry(D.kioskLumia);
    assert.equal(later.actionState, 'done');
    assert.equal(later.passcode, null);
  });

  it('answers a reset of an unknown device with 404 and counts only accepted resets', async () => {
    const reply = await reset('00000000-0000-0000-0000-000000000000');
    assert.equal(reply.status, 404);
    assert.equal(reply.body.error.code, 'ResourceNotFound');
    emulator.throttle(1, 1, /resetPasscode/);
    assert.equal((await reset(D.christieLumia950XL)).status, 429);
    assert.equal(emulator.resetCalls(D.christieLumia950XL), 0);
    assert.equal(await resetEntry(D.christieLumia950XL), undefined);
  });

  it('setResetDelay applies to resets issued afterwards', async () => {
    emulator.setResetDelay(0);
    await reset(D.enricoLumia650);
    assert.equal((await resetEntry(D.enricoLumia650)).actionState, 'done');
  });
});

describe('emulator resetPasscode on the real clock', () => {
  it('reaches done after resetDelayMs', async () => {
    const emulator = await startEmulator({ port: 0, resetDelayMs: 40 });
    try {
      const id = D.wangLumia;
      assert.equal(
        (
          await call(emulator, `/v1.0/deviceManagement/managedDevices/${id}/resetPasscode`, {
            method: 'POST',
          })
        ).status,
        204,
      );
      let state = '';
      const deadline = Date.now() + 15_000;
      while (state !== 'done' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const reply = await call(
          emulator,
          `/v1.0/deviceManagement/managedDevices/${id}?$select=deviceActionResults`,
        );
        state = reply.body.deviceActionResults[0].actionState;
        assert.ok(['pending', 'active', 'done'].includes(state), state);
      }
      assert.equal(state, 'done');
    } finally {
      await emulator.close();
    }
  });
});
