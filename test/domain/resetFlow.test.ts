import assert from 'node:assert/strict';
import { DEMO_TENANT, DeskRig } from './support/deskRig';
import { waitFor } from './support/intuneOverrides';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };

describe('domain: one reset, end to end', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start();
  });
  afterEach(async () => {
    await rig.close();
  });

  it('search → pick → confirm → submit → pending → active → done → delivered once → hidden', async () => {
    const megan = rig.actor('meganBowen');
    const found = await rig.desk.search(megan, rig.group, `  ${LEE_LUMIA.serial} `);
    assert.equal(found.kind, 'results');
    assert.equal(found.query, LEE_LUMIA.serial);
    assert.equal(found.rows.length, 1);
    const row = found.rows[0]!;
    assert.equal(row.device.id, LEE_LUMIA.id);
    // The v1.0 row cannot tell a phone from a desktop: decided on the device at Pick.
    assert.equal(row.checkAtPick, true);
    assert.match(row.pickId ?? '', /^[A-Za-z0-9_-]{22}$/);

    const picked = await rig.desk.pick(megan, rig.group, row.pickId!);
    assert.equal(picked.kind, 'confirm');
    const confirmed = await rig.desk.confirm(
      megan,
      { ...rig.group, activityId: 'card-1' },
      picked.pendingActionId,
      'INC-42',
    );
    assert.equal(confirmed.kind, 'accepted');
    const job = confirmed.job;
    assert.equal(job.state, 'requested');
    assert.equal(job.ticketRef, 'INC-42');
    assert.deepEqual(job.origin, { key: rig.group.key, kind: 'groupChat', activityId: 'card-1' });
    assert.equal(job.requester.aadObjectId, megan.aadObjectId);
    assert.equal(job.requester.locale, 'en-US');
    assert.equal(
      rig.emulator.resetCalls(LEE_LUMIA.id),
      0,
      'confirm answers before Graph is called',
    );

    await rig.tick();
    let stored = await rig.job(job.id);
    assert.equal(stored.state, 'submitted');
    assert.ok(stored.graphRequestId, 'the Graph request-id is kept');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);

    await rig.tick(0.25);
    assert.equal((await rig.job(job.id)).state, 'pending');
    await rig.tick(0.5);
    assert.equal((await rig.job(job.id)).state, 'active');
    assert.equal(rig.messenger.deliveries.length, 0);

    await rig.tick(0.5);
    stored = await rig.job(job.id);
    assert.equal(stored.state, 'done');
    assert.equal(rig.messenger.deliveries.length, 1);
    const delivery = rig.messenger.deliveries[0]!;
    assert.equal(delivery.jobId, job.id);
    assert.match(delivery.passcode, /^\d{6,8}$/);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(stored.delivery?.messageId, delivery.message.messageId);
    assert.equal(stored.delivery?.conversationKey, delivery.message.conversationKey);
    const visibleMs = Date.parse(stored.delivery!.hideAt!) - Date.parse(stored.delivery!.sentAt!);
    assert.equal(visibleMs, rig.config.PASSCODE_VISIBLE_MINUTES * 60_000);

    await rig.tick(1);
    await rig.tick(rig.config.PASSCODE_VISIBLE_MINUTES - 2);
    assert.equal(rig.messenger.hides.length, 0, 'not hidden before hideAt');
    assert.equal(rig.messenger.deliveries.length, 1, 'delivered exactly once');

    await rig.tick(1.5);
    stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'hidden');
    assert.deepEqual(rig.messenger.hides, [{ jobId: job.id, message: delivery.message }]);
    await rig.tick(30);
    assert.equal(rig.messenger.hides.length, 1);
    assert.equal(rig.messenger.deliveries.length, 1);

    const states = rig.messenger.originUpdates
      .filter((u) => u.jobId === job.id)
      .map((u) => u.state);
    assert.ok(
      states.includes('submitted') && states.includes('done'),
      `origin card refreshed: ${states.join()}`,
    );

    const audit = await rig.auditEntries();
    const actions = audit.map((e) => `${e.action}:${e.outcome}`);
    for (const expected of [
      'search:1 found',
      'pick:pendingAction',
      'confirm:accepted',
      'submit:accepted',
      'stateChange:pending',
      'stateChange:active',
      'stateChange:done',
      'deliver:sent',
      'hide:hidden',
    ]) {
      assert.ok(actions.includes(expected), `audit has ${expected}: ${actions.join(', ')}`);
    }
    const confirm = audit.find((e) => e.action === 'confirm')!;
    assert.equal(confirm.actorId, megan.aadObjectId);
    assert.equal(confirm.actorUpn, megan.userPrincipalName);
    assert.equal(confirm.deviceId, LEE_LUMIA.id);
    assert.equal(confirm.ticketRef, 'INC-42');
    assert.equal(audit.find((e) => e.action === 'search')?.detail, LEE_LUMIA.serial);
    assert.ok(audit.find((e) => e.action === 'submit')?.graphRequestId);

    const byTracker = audit.filter((e) =>
      ['submit', 'stateChange', 'deliver', 'hide'].includes(e.action),
    );
    assert.ok(
      byTracker.every(
        (e) => e.actorId === 'system' && e.jobId === job.id && e.deviceName === 'LEE-LUMIA650',
      ),
    );
    // Whose reset it was, on every entry about the job, the tracker's included.
    assert.ok(
      audit
        .filter((e) => e.jobId === job.id)
        .every(
          (e) => e.requesterId === megan.aadObjectId && e.requesterUpn === megan.userPrincipalName,
        ),
    );
    assert.ok(audit.every((e) => !Number.isNaN(Date.parse(e.at))));

    const written = await rig.everythingWritten();
    assert.ok(
      !written.includes(delivery.passcode),
      'the passcode is nowhere in storage, audit or logs',
    );
  });
});

describe('domain: resets that do not end well', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  const runToEnd = async () => {
    await rig.tick(); // submit
    for (let i = 0; i < 4; i++) await rig.tick(0.5);
  };

  it('failed → requester and helpdesk channel are told, with device, state, errorCode and request-id', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, 'RM1116G1X3B7', DEMO_TENANT.devices.failingReset);
    await runToEnd();
    const stored = await rig.job(job.id);
    assert.equal(stored.state, 'failed');
    assert.equal(stored.errorCode, DEMO_TENANT.failingResetErrorCode);
    assert.ok(stored.finishedAt);
    assert.deepEqual(rig.messenger.notificationsFor(job.id).sort(), [
      'failed:helpdeskChannel',
      'failed:requester',
    ]);
    const told = rig.messenger.notifications.find((n) => n.job.id === job.id)!;
    assert.equal(told.job.state, 'failed');
    assert.equal(told.job.device.name, 'Isaiah Lumia 950 XL');
    assert.equal(told.job.errorCode, DEMO_TENANT.failingResetErrorCode);
    assert.ok(told.job.graphRequestId, 'request-id available on the job');
    assert.deepEqual(stored.notified.sort(), ['failed:helpdeskChannel', 'failed:requester']);
    assert.deepEqual(stored.outbox, []);
    assert.equal(rig.messenger.deliveries.length, 0);

    // A restart (another instance) never repeats them.
    const restarted = rig.instance('instance-restarted');
    await rig.tick(5, restarted);
    await rig.tick(60, restarted);
    assert.equal(rig.messenger.notificationsFor(job.id).length, 2);
    const audit = await rig.auditEntries();
    assert.ok(
      audit.some((e) => e.action === 'stateChange' && e.outcome === 'failed' && e.jobId === job.id),
    );
    assert.equal(
      audit.filter((e) => e.action === 'notify' && e.jobId === job.id && e.outcome === 'sent')
        .length,
      2,
    );
  });

  it('notSupported and canceled notify requester and channel too', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    const unsupported = await rig.startReset(
      megan,
      '5CG7203LM9',
      DEMO_TENANT.devices.endsNotSupported,
    );
    rig.emulator.setResetOutcome(DEMO_TENANT.devices.pattiIdol4S, { state: 'canceled' });
    const canceled = await rig.startReset(megan, 'ALC6071W8N5R', DEMO_TENANT.devices.pattiIdol4S);
    await runToEnd();
    assert.equal((await rig.job(unsupported.id)).state, 'notSupported');
    assert.equal((await rig.job(canceled.id)).state, 'canceled');
    assert.deepEqual(rig.messenger.notificationsFor(unsupported.id).sort(), [
      'notSupported:helpdeskChannel',
      'notSupported:requester',
    ]);
    assert.deepEqual(rig.messenger.notificationsFor(canceled.id).sort(), [
      'canceled:helpdeskChannel',
      'canceled:requester',
    ]);
  });

  it("confirmed in the requester's own chat: the updated origin card is the one message there; the channel still hears", async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    const personal = rig.personal(megan);
    const startIn = async (serial: string, deviceId: string, activityId?: string) => {
      const pending = await rig.pendingActionFor(megan, serial, deviceId, personal);
      const where = { ...personal, ...(activityId ? { activityId } : {}) };
      const confirmed = await rig.desk.confirm(megan, where, pending, undefined);
      if (confirmed.kind === 'refused') throw new Error(confirmed.reason);
      return confirmed.job;
    };
    const failed = await startIn('RM1116G1X3B7', DEMO_TENANT.devices.failingReset, 'card-f');
    const unsupported = await startIn('5CG7203LM9', DEMO_TENANT.devices.endsNotSupported, 'card-n');
    // Without a known card id there is nothing to update: the requester gets a message.
    rig.emulator.setResetOutcome(DEMO_TENANT.devices.pattiIdol4S, { state: 'canceled' });
    const noCard = await startIn('ALC6071W8N5R', DEMO_TENANT.devices.pattiIdol4S);
    await runToEnd();
    assert.equal((await rig.job(failed.id)).state, 'failed');
    assert.equal((await rig.job(unsupported.id)).state, 'notSupported');
    assert.deepEqual(rig.messenger.notificationsFor(failed.id), ['failed:helpdeskChannel']);
    assert.deepEqual(rig.messenger.notificationsFor(unsupported.id), [
      'notSupported:helpdeskChannel',
    ]);
    assert.deepEqual(rig.messenger.notificationsFor(noCard.id).sort(), [
      'canceled:helpdeskChannel',
      'canceled:requester',
    ]);
    for (const [id, state] of [
      [failed.id, 'failed'],
      [unsupported.id, 'notSupported'],
    ] as const) {
      assert.ok(
        rig.messenger.originUpdates.some((u) => u.jobId === id && u.state === state),
        `the origin card of ${state} shows the outcome`,
      );
    }
  });

  it('a device that never checks in: reminders every REMINDER_AFTER_MINUTES (at most 3), then timedOut', async () => {
    rig = await DeskRig.start({
      env: { REMINDER_AFTER_MINUTES: '60', RESET_TIMEOUT_MINUTES: '300' },
    });
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, 'RM1152H4C9D1', DEMO_TENANT.devices.neverChecksIn);
    await rig.tick();
    await rig.tick(30);
    assert.deepEqual(rig.messenger.notificationsFor(job.id), []);
    await rig.tick(31); // 61 min
    assert.deepEqual(rig.messenger.notificationsFor(job.id).sort(), [
      'stillPending:helpdeskChannel',
      'stillPending:requester',
    ]);
    assert.equal((await rig.job(job.id)).remindersSent, 1);
    await rig.tick(10);
    assert.equal(
      rig.messenger.notificationsFor(job.id).length,
      2,
      'no repeat before the next interval',
    );
    let elapsed = 71;
    for (; elapsed + 10 < 300; elapsed += 10) await rig.tick(10);
    const reminders = rig.messenger
      .notificationsFor(job.id)
      .filter((n) => n === 'stillPending:requester');
    assert.equal(reminders.length, 3, 'at most three reminders');
    assert.equal((await rig.job(job.id)).state, 'pending');

    await rig.tick(300 - elapsed + 1);
    const stored = await rig.job(job.id);
    assert.equal(stored.state, 'timedOut');
    assert.ok(rig.messenger.notificationsFor(job.id).includes('timedOut:requester'));
    assert.ok(rig.messenger.notificationsFor(job.id).includes('timedOut:helpdeskChannel'));
    await rig.tick(60);
    assert.equal(rig.messenger.notificationsFor(job.id).length, 8);
  });

  it('checks a slow device less and less often', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, 'RM1152H4C9D1', DEMO_TENANT.devices.neverChecksIn);
    await rig.tick();
    const gapAfter = async (minutes: number) => {
      await rig.tick(minutes);
      const stored = await rig.job(job.id);
      return Date.parse(stored.nextCheckAt!) - rig.clock.now().getTime();
    };
    const early = await gapAfter(0.1);
    const later = await gapAfter(10);
    const muchLater = await gapAfter(100);
    assert.equal(early, rig.config.TRACKER_INTERVAL_SECONDS * 1000);
    assert.ok(later > early, `${later} > ${early}`);
    assert.ok(muchLater > later, `${muchLater} > ${later}`);
  });
});

describe('domain: submission right after confirm', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('a started tracker submits a confirmed job at once (wake), without waiting for the next tick', async () => {
    rig = await DeskRig.start({ env: { TRACKER_INTERVAL_SECONDS: '3600' } });
    rig.tracker.start();
    // The first (empty) cycle has ended: only wake() can submit the job now.
    await waitFor(() => rig.trackerCycles() >= 1, 'the first cycle');
    const job = await rig.startReset(
      rig.actor('meganBowen'),
      'RM1152D2H7J3',
      DEMO_TENANT.devices.leeLumia650,
    );
    // A bound far below the 3600 s interval: the submission came from wake().
    await waitFor(
      () => rig.emulator.resetCalls(DEMO_TENANT.devices.leeLumia650) > 0,
      'the woken submission',
      30_000,
    );
    assert.equal(rig.emulator.resetCalls(DEMO_TENANT.devices.leeLumia650), 1);
    await rig.tracker.stop();
    assert.equal((await rig.job(job.id)).state, 'submitted');
  });

  it('a device with an older reset result: the old entry is the baseline, not mistaken for ours', async () => {
    rig = await DeskRig.start();
    const device = DEMO_TENANT.devices.adeleLumia950XL;
    const before = await rig.intune.getResetResult(device);
    assert.ok(before?.startDateTime, 'the demo device carries an old result');
    const job = await rig.startReset(rig.actor('meganBowen'), 'RM1116C9P4W6', device);
    await rig.tick();
    const submitted = await rig.job(job.id);
    assert.equal(submitted.previousActionStartDateTime, before.startDateTime);
    assert.equal(submitted.state, 'submitted');
    for (let i = 0; i < 4; i++) await rig.tick(0.5);
    assert.equal((await rig.job(job.id)).state, 'done');
    assert.equal(rig.messenger.deliveries.length, 1);
  });
});

describe('domain: tracker lifecycle and housekeeping', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('stop() waits for the cycle in flight and no cycle starts after it', async () => {
    rig = await DeskRig.start({ env: { TRACKER_INTERVAL_SECONDS: '1' } });
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    rig.clock.advanceMinutes(1.5);
    const held = rig.messenger.holdNextDelivery();
    rig.tracker.start();
    await held.started;
    let stopped = false;
    const stopping = rig.tracker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(stopped, false, 'still waiting for the send in flight');
    held.release();
    await stopping;
    assert.equal((await rig.job(job.id)).delivery?.state, 'sent', 'the cycle finished its work');
    const requests = rig.emulator.requests.length;
    rig.tracker.wake();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(rig.emulator.requests.length, requests, 'nothing runs after stop()');
  });

  it('purges expired pick ids and old pending actions', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    assert.equal((await rig.stores.documents.list('picks')).length, 1);
    await rig.tick(rig.config.PENDING_ACTION_MINUTES + 1);
    assert.equal((await rig.stores.documents.list('picks')).length, 0);
    assert.equal(
      (await rig.stores.documents.list('pendingActions')).length,
      1,
      'kept a day past expiry',
    );
    await rig.tick(25 * 60);
    assert.equal((await rig.stores.documents.list('pendingActions')).length, 0);
  });
});
