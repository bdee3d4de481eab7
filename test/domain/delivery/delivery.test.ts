import assert from 'node:assert/strict';
import { DeliveryError } from '../../../src/domain/ports/messenger';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };

describe('domain: delivery, hiding and notifications when Teams says no', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start();
  });
  afterEach(async () => {
    await rig.close();
  });

  /** A job of Lee's phone that Graph reports done at the next tick. */
  const doneAtNextTick = async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    rig.clock.advanceMinutes(1.5);
    return job;
  };

  it('hands the done read to delivery once, and the card states the hideAt the job keeps', async () => {
    const job = await doneAtNextTick();
    await rig.tick();
    const stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(rig.messenger.deliveryCalls, 1);
    const [delivered] = rig.messenger.deliveries;
    assert.equal(delivered?.hideAt, stored.delivery?.hideAt);
    assert.equal(
      Date.parse(stored.delivery?.hideAt ?? '') - Date.parse(stored.delivery?.sentAt ?? ''),
      rig.config.PASSCODE_VISIBLE_MINUTES * 60_000,
    );

    const megan = rig.actor('meganBowen');
    const again = await rig.desk.showPasscode(megan, rig.personal(megan), { jobId: job.id });
    assert.equal(again.kind, 'passcodeSent');
    const resent = await rig.job(job.id);
    assert.equal(rig.messenger.deliveries[1]?.hideAt, resent.delivery?.hideAt);
  });

  it('a permanent failure (403, app blocked) fails the delivery at once and tells the helpdesk channel', async () => {
    rig.messenger.failDeliveries(new DeliveryError('blocked', 403, true));
    const job = await doneAtNextTick();
    await rig.tick();
    const stored = await rig.job(job.id);
    assert.equal(stored.state, 'done');
    assert.equal(stored.delivery?.state, 'failed');
    assert.equal(stored.delivery?.attempts, 1);
    assert.equal(stored.delivery?.lastError, 'DeliveryError 403');
    assert.deepEqual(rig.messenger.notificationsFor(job.id), ['deliveryFailed:helpdeskChannel']);
    await rig.tick(60);
    assert.equal(rig.messenger.deliveryCalls, 1, 'not retried');
    const audit = await rig.auditEntries();
    assert.ok(
      audit.some((e) => e.action === 'deliver' && e.outcome === 'failed' && e.jobId === job.id),
    );
    assert.ok(rig.messenger.originUpdates.some((u) => u.jobId === job.id && u.state === 'done'));
  });

  it('a transient failure (502) is retried with backoff, re-reading the passcode from Graph, then succeeds', async () => {
    rig.messenger.failDeliveries(
      new DeliveryError('bad gateway', 502, false),
      new Error('socket hang up'),
    );
    const job = await doneAtNextTick();
    await rig.tick();
    let stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'pending');
    assert.equal(stored.delivery?.lastError, 'DeliveryError 502');
    assert.ok(stored.delivery?.nextAttemptAt);
    await rig.tick(0.2);
    assert.equal(rig.messenger.deliveryCalls, 1, 'waits for the backoff');
    await rig.tick(0.4);
    assert.equal(rig.messenger.deliveryCalls, 2);
    stored = await rig.job(job.id);
    assert.equal(stored.delivery?.lastError, 'Error');
    await rig.tick(2.1);
    stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(stored.delivery?.attempts, 3);
    assert.equal(rig.messenger.deliveries.length, 1);
    assert.deepEqual(rig.messenger.notificationsFor(job.id), []);
    const inGraph = await rig.intune.getResetResult(LEE_LUMIA.id);
    assert.equal(rig.messenger.deliveries[0]!.passcode, inGraph?.passcode?.reveal());
    assert.ok(!(await rig.everythingWritten()).includes(rig.messenger.deliveries[0]!.passcode));
  });

  it('too many transient failures end as a failed delivery', async () => {
    rig.messenger.failDeliveries(
      ...Array.from({ length: 5 }, () => new DeliveryError('unavailable', 503, false)),
    );
    const job = await doneAtNextTick();
    for (let i = 0; i < 8; i++) await rig.tick(31);
    const stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'failed');
    assert.equal(stored.delivery?.attempts, 5);
    assert.equal(rig.messenger.deliveryCalls, 5);
    assert.deepEqual(rig.messenger.notificationsFor(job.id), ['deliveryFailed:helpdeskChannel']);
  });

  it('a notification that throws is retried later, and after the last try audited as undeliverable', async () => {
    rig.messenger.failNotifications(new Error('first'));
    const job = await rig.startReset(
      rig.actor('meganBowen'),
      'RM1116G1X3B7',
      DEMO_TENANT.devices.failingReset,
    );
    await rig.tick();
    await rig.tick(1.5);
    let stored = await rig.job(job.id);
    assert.equal(stored.state, 'failed');
    assert.deepEqual(rig.messenger.notificationsFor(job.id), ['failed:helpdeskChannel']);
    assert.deepEqual(
      stored.outbox?.map((e) => ({ key: e.key, attempts: e.attempts })),
      [{ key: 'failed:requester', attempts: 1 }],
    );
    await rig.tick(1);
    stored = await rig.job(job.id);
    assert.deepEqual(stored.outbox, []);
    assert.deepEqual(rig.messenger.notificationsFor(job.id).sort(), [
      'failed:helpdeskChannel',
      'failed:requester',
    ]);

    const second = await rig.startReset(
      rig.actor('leeGu'),
      'RM1104X8Y1Z5',
      DEMO_TENANT.devices.kioskLumia,
    );
    rig.emulator.setResetOutcome(DEMO_TENANT.devices.kioskLumia, { state: 'failed', errorCode: 7 });
    await rig.tick();
    rig.messenger.failNotifications(...Array.from({ length: 8 }, () => new Error('down')));
    for (let i = 0; i < 6; i++) await rig.tick(31);
    stored = await rig.job(second.id);
    assert.equal(stored.state, 'failed');
    assert.deepEqual(stored.outbox, []);
    assert.deepEqual(stored.notified.sort(), [
      'failed:helpdeskChannel',
      'failed:requester',
      'requesterUnreachable#failed:helpdeskChannel',
    ]);
    const undeliverable = (await rig.auditEntries()).filter(
      (e) => e.action === 'notify' && e.outcome === 'undeliverable' && e.jobId === second.id,
    );
    assert.equal(undeliverable.length, 2);
    // The requester was never told: the helpdesk channel hears that, once.
    assert.deepEqual(rig.messenger.notificationsFor(second.id), [
      'requesterUnreachable:helpdeskChannel',
    ]);
    await rig.tick(31);
    assert.equal(rig.messenger.notificationsFor(second.id).length, 1, 'reported once');
  });

  it('a hide that fails is retried for as long as it fails; a message Teams no longer has counts as hidden', async () => {
    rig.messenger.failHides(
      new DeliveryError('throttled', 429, false),
      new DeliveryError('blocked', 403, true),
      new DeliveryError('blocked', 403, true),
      new DeliveryError('blocked', 403, true),
      new DeliveryError('blocked', 403, true),
      new DeliveryError('blocked', 403, true),
      new DeliveryError('gone', 404, true),
    );
    const job = await doneAtNextTick();
    await rig.tick();
    assert.equal((await rig.job(job.id)).delivery?.state, 'sent');
    await rig.tick(rig.config.PASSCODE_VISIBLE_MINUTES + 0.1);
    assert.equal((await rig.job(job.id)).delivery?.hideAttempts, 1);
    // Six failures (429, then 403s, even the "permanent" ones) never drop the copy.
    for (let i = 0; i < 5; i++) await rig.tick(31);
    let stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'sent');
    assert.equal(stored.delivery?.hideAttempts, 6);
    assert.equal(stored.delivery?.lastError, 'hide DeliveryError 403');
    assert.equal(stored.delivery?.copies?.length, 1, 'still held to hide');
    assert.ok(
      (await rig.auditEntries()).some((e) => e.action === 'hide' && e.outcome === 'failing'),
    );
    // Then Teams answers 404: the message is gone, nothing shows the passcode.
    await rig.tick(31);
    stored = await rig.job(job.id);
    assert.equal(stored.delivery?.state, 'hidden');
    assert.deepEqual(stored.delivery?.copies, []);
    await rig.tick(60);
    assert.equal((await rig.job(job.id)).delivery?.hideAttempts, 0, 'nothing left to try');
  });
});
