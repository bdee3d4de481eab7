import assert from 'node:assert/strict';
import { DeliveryError } from '../../../src/domain/ports/messenger';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const ALEX_2 = { id: DEMO_TENANT.devices.alexLumia650, serial: 'RM1152A1B2C3' };
const PATTI = { id: DEMO_TENANT.devices.pattiIdol4S, serial: 'ALC6071W8N5R' };

describe('domain: show passcode again', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start();
  });
  afterEach(async () => {
    await rig.close();
  });

  const finishAll = async () => {
    await rig.tick();
    await rig.tick(1.5);
  };

  it('re-sends the actor own recent passcode to the 1:1 chat, hiding the previous copy first; audited', async () => {
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    await finishAll();
    const first = rig.messenger.deliveries[0]!;

    const fromGroup = await rig.desk.showPasscode(megan, rig.group, { text: 'lee-lumia' });
    assert.equal(fromGroup.kind, 'passcodeSent');
    assert.equal(fromGroup.privately, true, 'asked in a group: the bot says it went privately');
    assert.equal(fromGroup.job.id, job.id);
    assert.equal(rig.messenger.deliveries.length, 2);
    const second = rig.messenger.deliveries[1]!;
    assert.equal(second.passcode, first.passcode);
    assert.equal(second.message.conversationKey, `personal:${megan.aadObjectId}`);
    assert.deepEqual(
      rig.messenger.hides.map((h) => h.message),
      [first.message],
    );
    const stored = await rig.job(job.id);
    assert.equal(stored.delivery?.messageId, second.message.messageId);
    assert.equal(stored.delivery?.state, 'sent');

    const noText = await rig.desk.showPasscode(megan, rig.group, { text: '  ' });
    assert.equal(
      noText.kind === 'passcodeSent' && noText.job.id,
      job.id,
      'no text: the one recent reset',
    );

    const fromChat = await rig.desk.showPasscode(megan, rig.personal(megan), { jobId: job.id });
    assert.equal(fromChat.kind === 'passcodeSent' && fromChat.privately, false);

    await rig.tick(rig.config.PASSCODE_VISIBLE_MINUTES + 1);
    assert.equal(
      (await rig.job(job.id)).delivery?.state,
      'hidden',
      'the re-sent copy is hidden on time too',
    );
    const views = (await rig.auditEntries()).filter(
      (e) => e.action === 'passcodeView' && e.jobId === job.id,
    );
    assert.equal(views.length, 3);
    assert.ok(!(await rig.everythingWritten()).includes(first.passcode));
  });

  it('only the actor own resets: someone else job is notYours, their device text finds nothing', async () => {
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await finishAll();
    const lee = rig.actor('leeGu');
    const byId = await rig.desk.showPasscode(lee, rig.group, { jobId: job.id });
    assert.equal(byId.kind === 'refused' && byId.reason, 'notYours');
    const byText = await rig.desk.showPasscode(lee, rig.group, { text: 'lee' });
    assert.equal(byText.kind === 'refused' && byText.reason, 'noRecentReset');
    assert.equal(rig.messenger.deliveries.length, 1);
    const refusals = (await rig.auditEntries()).filter(
      (e) => e.action === 'refused' && e.actorId === lee.aadObjectId,
    );
    assert.deepEqual(refusals.map((e) => e.outcome).sort(), ['noRecentReset', 'notYours']);
  });

  it('several matches → choose; not done yet → passcodeNotReady; older than 7 days → passcodeExpired', async () => {
    const megan = rig.actor('meganBowen');
    const a = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const b = await rig.startReset(megan, ALEX_2.serial, ALEX_2.id);
    await finishAll();
    const choose = await rig.desk.showPasscode(megan, rig.group, { text: 'LUMIA' });
    assert.equal(choose.kind, 'choose');
    assert.deepEqual(new Set(choose.jobs.map((j) => j.id)), new Set([a.id, b.id]));

    const all = await rig.desk.showPasscode(megan, rig.group, { text: '' });
    assert.equal(all.kind === 'choose' && all.jobs.length, 2);
    const bad = await rig.desk.showPasscode(megan, rig.group, { text: 'lumia\u0007' });
    assert.equal(bad.kind === 'refused' && bad.reason, 'invalidInput');

    const slow = await rig.startReset(megan, PATTI.serial, PATTI.id);
    const notReady = await rig.desk.showPasscode(megan, rig.group, { text: 'idol' });
    assert.equal(notReady.kind === 'refused' && notReady.reason, 'passcodeNotReady');
    const notReadyById = await rig.desk.showPasscode(megan, rig.group, { jobId: slow.id });
    assert.equal(notReadyById.kind === 'refused' && notReadyById.reason, 'passcodeNotReady');

    rig.clock.advanceMinutes(7 * 24 * 60 + 1);
    const expired = await rig.desk.showPasscode(megan, rig.group, { jobId: a.id });
    assert.equal(expired.kind === 'refused' && expired.reason, 'passcodeExpired');
    const expiredText = await rig.desk.showPasscode(megan, rig.group, { text: 'lee' });
    assert.equal(expiredText.kind === 'refused' && expiredText.reason, 'passcodeExpired');
  });

  it('a later reset of the device replaces the passcode: the older job no longer shows one', async () => {
    const megan = rig.actor('meganBowen');
    const older = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    await finishAll();
    await rig.intune.resetPasscode(LEE_LUMIA.id); // someone reset it again from the admin center
    rig.clock.advanceMinutes(2);
    const answer = await rig.desk.showPasscode(megan, rig.group, { jobId: older.id });
    assert.equal(answer.kind === 'refused' && answer.reason, 'passcodeExpired');
    assert.equal(rig.messenger.deliveries.length, 1);
  });

  it('a 1:1 chat that cannot be reached answers deliveryFailed with the status', async () => {
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    await finishAll();
    rig.messenger.failDeliveries(new DeliveryError('blocked', 403, true));
    const answer = await rig.desk.showPasscode(megan, rig.channel, { jobId: job.id });
    assert.deepEqual(answer, {
      kind: 'refused',
      reason: 'deliveryFailed',
      params: { status: 403 },
    });
  });
});
