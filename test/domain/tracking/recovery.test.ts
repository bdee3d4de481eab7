import assert from 'node:assert/strict';
import { RecordingMessenger } from '../../support/recordingMessenger';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';
import { latch, never, waitFor, withOverrides } from '../support/intuneOverrides';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const ADELE_XL = { id: DEMO_TENANT.devices.adeleLumia950XL, serial: 'RM1116C9P4W6' };
const LEASE_MINUTES = 2;

describe('domain: a restart resumes every reset exactly where it stopped', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start();
  });
  afterEach(async () => {
    await rig.close();
  });

  /** An instance whose resetPasscode "dies" before or after Graph accepted the POST. */
  const crashingInstance = (id: string, when: 'beforePost' | 'afterPost') => {
    const point = latch();
    const parts = rig.instance(id, {
      intune: withOverrides(rig.intune, {
        resetPasscode: async (deviceId) => {
          if (when === 'afterPost') await rig.intune.resetPasscode(deviceId);
          point.open();
          return never();
        },
      }),
    });
    return { parts, crashed: point.reached };
  };

  it('killed after Graph accepted the reset: the next instance sees it in Graph and never submits again', async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    const doomed = crashingInstance('doomed', 'afterPost');
    void doomed.parts.tracker.runOnce();
    await doomed.crashed;
    const left = await rig.job(job.id);
    assert.equal(left.state, 'submitting');
    assert.equal(left.lease?.owner, 'doomed');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);

    const next = rig.instance('next');
    await rig.tick(0, next);
    assert.equal((await rig.job(job.id)).state, 'submitting', 'a live lease is respected');
    await rig.tick(LEASE_MINUTES + 0.5, next);
    const recovered = await rig.job(job.id);
    assert.equal(recovered.state, 'submitted');
    assert.ok(recovered.actionStartDateTime);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1, 'not submitted twice');
    await rig.tick(0.1, next);
    await rig.tick(0.1, next);
    assert.equal((await rig.job(job.id)).state, 'done');
    assert.equal(rig.messenger.deliveries.length, 1);
    assert.ok(
      (await rig.auditEntries()).some(
        (e) => e.action === 'submit' && e.outcome === 'alreadySubmitted',
      ),
    );
  });

  it('killed before the POST: the same instance restarting submits once, at once', async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    const doomed = crashingInstance('host-1', 'beforePost');
    void doomed.parts.tracker.runOnce();
    await doomed.crashed;
    assert.equal((await rig.job(job.id)).state, 'submitting');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);

    const restarted = rig.instance('host-1'); // a stable instance id resumes its own lease
    await rig.tick(0, restarted);
    assert.equal((await rig.job(job.id)).state, 'submitted');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
  });

  it('killed before the POST on a device with an older result: the old entry does not count as ours', async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), ADELE_XL.serial, ADELE_XL.id);
    const doomed = crashingInstance('doomed', 'beforePost');
    void doomed.parts.tracker.runOnce();
    await doomed.crashed;
    const next = rig.instance('next');
    await rig.tick(LEASE_MINUTES + 0.5, next);
    assert.equal(rig.emulator.resetCalls(ADELE_XL.id), 1);
    await rig.tick(1.5, next);
    await rig.tick(0.1, next);
    assert.equal((await rig.job(job.id)).state, 'done');
    assert.equal(rig.messenger.deliveries.length, 1);
  });

  it('killed while sending the passcode: delivered exactly once after the restart, and never again', async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    const dying = new RecordingMessenger().hangNextDelivery();
    const doomed = rig.instance('doomed', { messenger: dying });
    await rig.tick(0, doomed);
    rig.clock.advanceMinutes(1.5);
    void doomed.tracker.runOnce();
    await waitFor(() => dying.deliveryCalls === 1, 'the doomed send');
    const left = await rig.job(job.id);
    assert.equal(left.state, 'done');
    assert.deepEqual(
      {
        state: left.delivery?.state,
        attempts: left.delivery?.attempts,
        messageId: left.delivery?.messageId,
      },
      // The message was posted without the passcode and its id stored before the update.
      { state: 'pending', attempts: 1, messageId: 'msg-1' },
    );

    const next = rig.instance('next');
    await rig.tick(0, next);
    assert.equal(rig.messenger.deliveries.length, 0, 'not while the lease lives');
    await rig.tick(LEASE_MINUTES + 0.5, next);
    assert.equal(rig.messenger.deliveries.length, 1);
    const stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(stored.delivery?.attempts, 2);
    // The restart puts the passcode into the same stored message (an update): no second post.
    assert.deepEqual(rig.messenger.prepared, []);
    assert.equal(rig.messenger.deliveries[0]!.message.messageId, 'msg-1');
    assert.deepEqual(stored.delivery?.copies, [rig.messenger.deliveries[0]!.message]);

    const another = rig.instance('another');
    await rig.tick(1, another);
    await rig.tick(1, next);
    assert.equal(rig.messenger.deliveries.length, 1);
    assert.ok(!(await rig.everythingWritten()).includes(rig.messenger.deliveries[0]!.passcode));
  });
});

describe('domain: two instances sharing one store', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('never both act on one job: one submit, one delivery, one of each notification', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    const other = rig.instance('instance-b', { separateConnection: true });
    const good = [
      { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' },
      { id: DEMO_TENANT.devices.pattiIdol4S, serial: 'ALC6071W8N5R' },
      { id: DEMO_TENANT.devices.irvinIdol4S, serial: 'ALC6071U9V4W' },
    ];
    const jobs = [];
    for (const device of good) jobs.push(await rig.startReset(megan, device.serial, device.id));
    const failing = await rig.startReset(megan, 'RM1116G1X3B7', DEMO_TENANT.devices.failingReset);

    for (let round = 0; round < 8; round++) {
      rig.clock.advanceMinutes(0.3);
      await Promise.all([rig.tracker.runOnce(), other.tracker.runOnce(), rig.tracker.runOnce()]);
    }
    for (const device of [...good, { id: DEMO_TENANT.devices.failingReset }]) {
      assert.equal(rig.emulator.resetCalls(device.id), 1);
    }
    assert.equal(rig.messenger.deliveries.length, 3);
    assert.deepEqual(
      new Set(rig.messenger.deliveries.map((d) => d.jobId)),
      new Set(jobs.map((j) => j.id)),
    );
    assert.deepEqual(rig.messenger.notificationsFor(failing.id).sort(), [
      'failed:helpdeskChannel',
      'failed:requester',
    ]);

    rig.clock.advanceMinutes(rig.config.PASSCODE_VISIBLE_MINUTES + 1);
    await Promise.all([rig.tracker.runOnce(), other.tracker.runOnce()]);
    rig.clock.advanceMinutes(LEASE_MINUTES + 1);
    await Promise.all([rig.tracker.runOnce(), other.tracker.runOnce()]);
    assert.equal(rig.messenger.hides.length, 3);
    assert.equal(rig.messenger.deliveries.length, 3);
  });
});

describe('domain: leases', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('a send in flight on one instance is not repeated by another that looks meanwhile', async () => {
    rig = await DeskRig.start();
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    const other = rig.instance('instance-b', { separateConnection: true });
    await rig.tick();
    rig.clock.advanceMinutes(1.5);
    const slowSend = rig.messenger.holdNextDelivery();
    const first = rig.tracker.runOnce();
    await slowSend.started;
    assert.equal((await rig.job(job.id)).lease?.owner, 'instance-a');
    await other.tracker.runOnce();
    rig.clock.advanceMinutes(1);
    await other.tracker.runOnce();
    slowSend.release();
    await first;
    assert.equal(rig.messenger.deliveryCalls, 1);
    assert.equal(rig.messenger.deliveries.length, 1);
    const stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(stored.lease, undefined, 'the lease is given back');
  });
});

describe('domain: Graph throttling', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('a throttled submit waits for Retry-After (all Graph calls of the instance pause), then submits once', async () => {
    rig = await DeskRig.start();
    rig.emulator.throttle(1, 120, /resetPasscode/);
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    const waiting = await rig.job(job.id);
    assert.equal(waiting.state, 'submitting');
    assert.ok(Date.parse(waiting.nextCheckAt!) - rig.clock.now().getTime() >= 120_000);
    const seen = rig.emulator.requests.length;
    await rig.tick(1);
    assert.equal(rig.emulator.requests.length, seen, 'no Graph call during Retry-After');
    await rig.tick(1.1);
    assert.equal((await rig.job(job.id)).state, 'submitted');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
  });

  it('a throttled result read postpones that job by Retry-After', async () => {
    rig = await DeskRig.start();
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    rig.emulator.throttle(1, 90, new RegExp(`managedDevices/${LEE_LUMIA.id}\\?`));
    await rig.tick(0.1);
    const postponed = await rig.job(job.id);
    assert.equal(postponed.state, 'submitted');
    assert.equal(Date.parse(postponed.nextCheckAt!) - rig.clock.now().getTime(), 90_000);
    await rig.tick(1.6);
    assert.notEqual((await rig.job(job.id)).state, 'submitted');
  });

  it('a device removed from Intune fails the job (404) and says so', async () => {
    rig = await DeskRig.start({
      wrapIntune: (real) =>
        withOverrides(real, {
          getResetResult: (id) =>
            real.getResetResult(id === LEE_LUMIA.id ? '00000000-0000-4000-8000-00000000dead' : id),
        }),
    });
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    const failed = await rig.job(job.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.failure?.status, 404);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);
    assert.deepEqual(rig.messenger.notificationsFor(job.id).sort(), [
      'failed:helpdeskChannel',
      'failed:requester',
    ]);
  });
});
