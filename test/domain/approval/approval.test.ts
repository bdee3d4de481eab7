import assert from 'node:assert/strict';
import type { AuditEntry } from '../../../src/domain/ports/audit';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const EXPIRY_MINUTES = 30;

/** Oldest first (the audit log lists newest first). */
const approvalRows = (entries: AuditEntry[], jobId: string) =>
  [...entries]
    .reverse()
    .filter((e) => e.jobId === jobId && (e.action === 'approval' || e.action === 'refused'));

describe('domain: second-person approval (APPROVAL=all)', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start({
      env: { APPROVAL: 'all', APPROVAL_EXPIRY_MINUTES: String(EXPIRY_MINUTES) },
    });
  });
  afterEach(async () => {
    await rig.close();
  });

  /** Megan asks for a reset of Lee's Lumia; the tracker sends the approval card. */
  async function requested(ticketRef = 'INC0000042') {
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id, ticketRef);
    assert.equal(job.state, 'awaitingApproval');
    assert.ok(job.approval);
    assert.equal(
      Date.parse(job.approval.expiresAt) - Date.parse(job.approval.requestedAt),
      EXPIRY_MINUTES * 60_000,
    );
    await rig.tick();
    assert.deepEqual(rig.messenger.approvalRequests, [
      { jobId: job.id, approvers: ['helpdeskChannel'] },
    ]);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0, 'nothing reaches Graph before approval');
    return { megan, job };
  }

  it('approve: the reset is submitted once, every approval card shows who approved, the passcode goes to the requester', async () => {
    const { megan, job } = await requested();
    await rig.tick(1);
    assert.equal((await rig.job(job.id)).state, 'awaitingApproval');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);

    const adele = rig.actor('adeleVance', { displayName: 'Adele Vance' });
    const answer = await rig.desk.approve(adele, job.id);
    assert.equal(answer.kind, 'decided');
    assert.equal(answer.byActor, true);
    assert.equal(answer.job.state, 'requested');
    assert.equal(answer.job.approval?.decision?.outcome, 'approved');
    assert.equal(answer.job.approval?.decision?.by?.aadObjectId, adele.aadObjectId);
    assert.deepEqual(rig.messenger.originUpdates.at(-1), { jobId: job.id, state: 'requested' });

    await rig.tick();
    assert.equal((await rig.job(job.id)).state, 'submitted');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
    assert.deepEqual(rig.messenger.approvalCardUpdates, [
      { jobId: job.id, state: 'requested', decidedBy: adele.aadObjectId },
    ]);
    // A second press, by another approver, changes nothing.
    const lidia = rig.actor('lidiaHolloway');
    const late = await rig.desk.approve(lidia, job.id);
    assert.equal(late.kind, 'decided');
    assert.equal(late.byActor, false);
    assert.equal(late.job.approval?.decision?.by?.aadObjectId, adele.aadObjectId);

    rig.emulator.completeReset(LEE_LUMIA.id);
    await rig.tick(0.25);
    await rig.tick(0.25);
    assert.equal((await rig.job(job.id)).state, 'done');
    assert.equal(rig.messenger.deliveries.length, 1);
    assert.equal(rig.messenger.deliveries[0]!.jobId, job.id);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1, 'submitted exactly once');
    assert.equal((await rig.job(job.id)).requester.aadObjectId, megan.aadObjectId);

    const everyRow = (await rig.auditEntries()).filter((e) => e.jobId === job.id);
    assert.ok(everyRow.length >= 6);
    // The ticket is on every audit row of the reset (and so in `npm run audit:export`).
    assert.deepEqual(
      everyRow.filter((e) => e.ticketRef !== 'INC0000042'),
      [],
    );
    const rows = approvalRows(await rig.auditEntries(), job.id);
    assert.deepEqual(
      rows.map((e) => [e.action, e.outcome, e.actorId, e.ticketRef]),
      [
        ['approval', 'requested', megan.aadObjectId, 'INC0000042'],
        ['approval', 'approved', adele.aadObjectId, 'INC0000042'],
        ['refused', 'alreadyDecided', lidia.aadObjectId, 'INC0000042'],
      ],
    );
  });

  it('deny: nothing reaches Graph, the requester is told the reason, the device is free again', async () => {
    const { megan, job } = await requested();
    const adele = rig.actor('adeleVance', { displayName: 'Adele Vance' });
    const answer = await rig.desk.deny(adele, job.id, '  No ticket for this user  ');
    assert.equal(answer.kind, 'decided');
    assert.equal(answer.job.state, 'denied');
    await rig.tick();
    assert.deepEqual(rig.messenger.notificationsFor(job.id), ['denied:requester']);
    const told = rig.messenger.notifications.find((n) => n.job.id === job.id)!;
    assert.equal(told.job.approval?.decision?.reason, 'No ticket for this user');
    assert.equal(told.job.approval?.decision?.by?.name, 'Adele Vance');
    assert.deepEqual(rig.messenger.approvalCardUpdates, [
      { jobId: job.id, state: 'denied', decidedBy: adele.aadObjectId },
    ]);
    await rig.tick(EXPIRY_MINUTES + 1);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);
    assert.equal(rig.messenger.notificationsFor(job.id).length, 1, 'told once');

    const rows = approvalRows(await rig.auditEntries(), job.id);
    const denied = rows.find((e) => e.outcome === 'denied');
    assert.equal(denied?.actorId, adele.aadObjectId);
    assert.equal(denied?.detail, 'No ticket for this user');
    // The device lock went with the denied job: a new request is accepted.
    const again = await rig.confirmFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id, 'INC0000043');
    assert.equal(again.kind, 'accepted');
  });

  it('refuses self-approval and presses by people outside the approver groups, changing nothing and auditing each', async () => {
    const adele = rig.actor('adeleVance');
    const job = await rig.startReset(adele, LEE_LUMIA.serial, LEE_LUMIA.id, 'INC0000042');
    assert.equal(job.state, 'awaitingApproval');

    const self = await rig.desk.approve(adele, job.id);
    assert.equal(self.kind, 'refused');
    assert.equal(self.reason, 'selfApproval');
    const selfDeny = await rig.desk.deny(adele, job.id, 'oops');
    assert.equal(selfDeny.kind === 'refused' && selfDeny.reason, 'selfApproval');
    // Lee is a technician but no approver; Diego is in no helpdesk group at all.
    for (const outsider of [rig.actor('leeGu'), rig.actor('diegoSiciliani')]) {
      const pressed = await rig.desk.approve(outsider, job.id);
      assert.equal(pressed.kind === 'refused' && pressed.reason, 'notApprover');
      const denied = await rig.desk.deny(outsider, job.id, 'no');
      assert.equal(denied.kind === 'refused' && denied.reason, 'notApprover');
    }
    const stored = await rig.job(job.id);
    assert.equal(stored.state, 'awaitingApproval');
    assert.equal(stored.approval?.decision, undefined);

    const refusals = approvalRows(await rig.auditEntries(), job.id).filter(
      (e) => e.action === 'refused',
    );
    assert.deepEqual(
      refusals.map((e) => [e.outcome, e.actorId, e.detail]),
      [
        ['selfApproval', adele.aadObjectId, 'approve'],
        ['selfApproval', adele.aadObjectId, 'deny'],
        ['notApprover', DEMO_TENANT.users.leeGu, 'approve'],
        ['notApprover', DEMO_TENANT.users.leeGu, 'deny'],
        ['notApprover', DEMO_TENANT.users.diegoSiciliani, 'approve'],
        ['notApprover', DEMO_TENANT.users.diegoSiciliani, 'deny'],
      ],
    );
    // Lidia, an approver, still can.
    const lidia = await rig.desk.approve(rig.actor('lidiaHolloway'), job.id);
    assert.equal(lidia.kind === 'decided' && lidia.byActor, true);
  });

  it('expires a request nobody decided, tells the requester, and refuses a later press', async () => {
    const { job } = await requested();
    await rig.tick(EXPIRY_MINUTES - 1);
    assert.equal((await rig.job(job.id)).state, 'awaitingApproval');
    await rig.tick(1);
    const expired = await rig.job(job.id);
    assert.equal(expired.state, 'approvalExpired');
    assert.equal(expired.approval?.decision?.outcome, 'expired');
    assert.deepEqual(rig.messenger.notificationsFor(job.id), ['approvalExpired:requester']);
    assert.deepEqual(rig.messenger.approvalCardUpdates, [
      { jobId: job.id, state: 'approvalExpired' },
    ]);
    assert.deepEqual(rig.messenger.originUpdates.at(-1), {
      jobId: job.id,
      state: 'approvalExpired',
    });

    const late = await rig.desk.approve(rig.actor('adeleVance'), job.id);
    assert.equal(late.kind === 'refused' && late.reason, 'expired');
    await rig.tick(5);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);
    const outcomes = approvalRows(await rig.auditEntries(), job.id).map((e) => e.outcome);
    assert.deepEqual(outcomes, ['requested', 'expired', 'expired']);
  });

  it('a restart while waiting: a new desk on the same store takes the decision and submits once', async () => {
    const { job } = await requested();
    await rig.tracker.stop();
    const restarted = rig.instance('instance-restarted', { separateConnection: true });
    const answer = await restarted.desk.approve(rig.actor('adeleVance'), job.id);
    assert.equal(answer.kind === 'decided' && answer.byActor, true);
    await rig.tick(0, restarted);
    assert.equal((await rig.job(job.id)).state, 'submitted');
    await rig.tick(0.25, restarted);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
    assert.equal(rig.messenger.approvalRequests.length, 1, 'the approval card went out once');
  });

  it('two instances racing on one decision: exactly one decision and exactly one resetPasscode', async () => {
    const { job } = await requested();
    const other = rig.instance('instance-b', { separateConnection: true });
    const [a, b] = await Promise.all([
      rig.desk.approve(rig.actor('adeleVance'), job.id),
      other.desk.deny(rig.actor('lidiaHolloway'), job.id, 'not today'),
    ]);
    assert.equal(a.kind, 'decided');
    assert.equal(b.kind, 'decided');
    assert.equal([a.byActor, b.byActor].filter(Boolean).length, 1, 'exactly one decision');
    const winner = a.byActor ? a : b;
    assert.deepEqual(a.job.approval?.decision, b.job.approval?.decision);

    await Promise.all([rig.tick(0), rig.tick(0, other)]);
    await Promise.all([rig.tick(0.25), rig.tick(0, other)]);
    const stored = await rig.job(job.id);
    assert.deepEqual(stored.approval?.decision, winner.job.approval?.decision);
    const expectedCalls = winner.job.state === 'requested' ? 1 : 0;
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), expectedCalls);
    const rows = approvalRows(await rig.auditEntries(), job.id);
    assert.equal(
      rows.filter((e) => e.action === 'approval' && e.outcome !== 'requested').length,
      1,
    );
    assert.equal(rows.filter((e) => e.outcome === 'alreadyDecided').length, 1);
  });

  it('two approvals racing: exactly one resetPasscode POST', async () => {
    const { job } = await requested();
    const other = rig.instance('instance-b', { separateConnection: true });
    const answers = await Promise.all([
      rig.desk.approve(rig.actor('adeleVance'), job.id),
      other.desk.approve(rig.actor('lidiaHolloway'), job.id),
    ]);
    assert.equal(answers.filter((x) => x.kind === 'decided' && x.byActor).length, 1);
    await Promise.all([rig.tick(0), rig.tick(0, other)]);
    await Promise.all([rig.tick(0.25), rig.tick(0, other)]);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
  });

  it('with no helpdesk channel, sends the approval card privately to each approver the bot knows, never the requester', async () => {
    rig.messenger.hasChannel = false;
    rig.messenger.knownPeople = [
      DEMO_TENANT.users.meganBowen,
      DEMO_TENANT.users.leeGu,
      DEMO_TENANT.users.adeleVance,
      DEMO_TENANT.users.lidiaHolloway,
    ];
    const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    assert.deepEqual(rig.messenger.approvalRequests, [
      {
        jobId: job.id,
        approvers: [DEMO_TENANT.users.adeleVance, DEMO_TENANT.users.lidiaHolloway],
      },
    ]);
  });

  it('status: the requester sees the request waiting; an approver also sees the others waiting for a decision', async () => {
    const { megan, job } = await requested();
    const mine = await rig.desk.status(megan, 10);
    assert.equal(mine.kind, 'status');
    assert.equal(mine.jobs[0]?.state, 'awaitingApproval');
    assert.equal(mine.awaitingApproval, undefined, 'Megan is no approver');
    const adeles = await rig.desk.status(rig.actor('adeleVance'), 10);
    assert.equal(adeles.kind, 'status');
    assert.deepEqual(
      adeles.awaitingApproval?.map((j) => j.id),
      [job.id],
    );
  });
});

describe('domain: an approved reset is timed from its approval', () => {
  it('sends no reminder for the time spent waiting for approval', async () => {
    // Reminder after 60 minutes (DeskRig); approval may take up to 90 here.
    const rig = await DeskRig.start({
      env: { APPROVAL: 'all', APPROVAL_EXPIRY_MINUTES: '90' },
      emulator: { resetDelayMs: 24 * 60 * 60_000 },
    });
    try {
      const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
      await rig.tick();
      await rig.tick(80);
      const approved = await rig.desk.approve(rig.actor('adeleVance'), job.id);
      assert.equal(approved.kind === 'decided' && approved.byActor, true);
      await rig.tick();
      await rig.tick(1);
      assert.equal((await rig.job(job.id)).state, 'pending');
      assert.deepEqual(rig.messenger.notificationsFor(job.id), [], 'no reminder at 81 minutes');
      await rig.tick(60);
      assert.deepEqual(rig.messenger.notificationsFor(job.id), [
        'stillPending:requester',
        'stillPending:helpdeskChannel',
      ]);
    } finally {
      await rig.close();
    }
  });
});

describe('domain: APPROVAL by platform', () => {
  it('asks for approval for the listed platforms only', async () => {
    for (const [approval, expected] of [
      ['windows10Mobile', 'awaitingApproval'],
      ['ios', 'requested'],
      ['off', 'requested'],
    ] as const) {
      const rig = await DeskRig.start({ env: { APPROVAL: approval } });
      try {
        const job = await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
        assert.equal(job.state, expected, approval);
        assert.equal(job.platform, 'windows10Mobile');
      } finally {
        await rig.close();
      }
    }
  });
});

describe('domain: ticket policy', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start({
      env: { TICKET_REQUIRED: 'true', TICKET_PATTERN: '^(INC|RITM)\\d{7}$' },
    });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('refuses a missing or malformed ticket, changing nothing; a matching one is accepted and audited', async () => {
    const megan = rig.actor('meganBowen');
    const pendingActionId = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const where = { ...rig.group, activityId: 'card-1' };
    const missing = await rig.desk.confirm(megan, where, pendingActionId, '   ');
    assert.equal(missing.kind === 'refused' && missing.reason, 'ticketRequired');
    const wrong = await rig.desk.confirm(megan, where, pendingActionId, 'INC12');
    assert.equal(wrong.kind, 'refused');
    assert.equal(wrong.reason, 'ticketMismatch');
    assert.deepEqual(wrong.params, { pattern: '^(INC|RITM)\\d{7}$' });
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);
    assert.deepEqual(await rig.stores.documents.list('jobs'), []);

    const ok = await rig.desk.confirm(megan, where, pendingActionId, 'RITM0012345');
    assert.equal(ok.kind, 'accepted');
    assert.equal(ok.job.ticketRef, 'RITM0012345');
    const audit = (await rig.auditEntries()).reverse();
    assert.deepEqual(
      audit
        .filter((e) => e.action === 'refused' && e.detail === 'confirm')
        .map((e) => [e.outcome, e.ticketRef]),
      [
        ['ticketRequired', undefined],
        ['ticketMismatch', 'INC12'],
      ],
    );
    await rig.tick();
    const submit = (await rig.auditEntries()).find((e) => e.action === 'submit');
    assert.equal(submit?.ticketRef, 'RITM0012345');
  });
});
