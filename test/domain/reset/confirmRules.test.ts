import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';
import { withOverrides } from '../support/intuneOverrides';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const PATTI = { id: DEMO_TENANT.devices.pattiIdol4S, serial: 'ALC6071W8N5R' };
const IRVIN = { id: DEMO_TENANT.devices.irvinIdol4S, serial: 'ALC6071U9V4W' };

const graphWrites = (rig: DeskRig) =>
  rig.emulator.requests.filter((r) => r.method !== 'GET' && /resetPasscode/.test(r.url));

describe('domain: confirm is single use and one reset per device', () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start();
  });
  afterEach(async () => {
    await rig.close();
  });

  it('a double press answers the same job and Graph sees one resetPasscode', async () => {
    const megan = rig.actor('meganBowen');
    const pendingActionId = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const first = await rig.desk.confirm(megan, rig.group, pendingActionId, undefined);
    assert.equal(first.kind, 'accepted');
    await rig.tick();
    const requestsBefore = rig.emulator.requests.length;
    const second = await rig.desk.confirm(megan, rig.group, pendingActionId, undefined);
    assert.equal(second.kind, 'duplicate');
    assert.equal(second.job.id, first.job.id);
    assert.equal(rig.emulator.requests.length, requestsBefore, 'a duplicate makes no Graph call');
    await rig.tick(1);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
    assert.equal((await rig.stores.documents.list('jobs')).length, 1);
  });

  it('two racing confirms of one card: exactly one wins, the other gets the same job', async () => {
    const megan = rig.actor('meganBowen');
    const pendingActionId = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const answers = await Promise.all([
      rig.desk.confirm(megan, rig.group, pendingActionId, undefined),
      rig.desk.confirm(megan, rig.group, pendingActionId, undefined),
      rig.desk.confirm(megan, rig.group, pendingActionId, undefined),
    ]);
    const kinds = answers.map((a) => a.kind).sort();
    assert.deepEqual(kinds, ['accepted', 'duplicate', 'duplicate']);
    const ids = new Set(answers.map((a) => (a.kind === 'refused' ? '' : a.job.id)));
    assert.equal(ids.size, 1);
    await rig.tick();
    await rig.tick(1);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
  });

  it('a second technician gets resetInProgress with who and since', async () => {
    const megan = rig.actor('meganBowen');
    const lee = rig.actor('leeGu');
    const leesCard = await rig.pendingActionFor(lee, LEE_LUMIA.serial, LEE_LUMIA.id);
    const leesSearch = await rig.desk.search(lee, rig.group, LEE_LUMIA.serial);
    assert.equal(leesSearch.kind, 'results');
    const job = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);

    const latepick = await rig.desk.pick(lee, rig.group, leesSearch.rows[0]!.pickId!);
    assert.equal(latepick.kind === 'refused' && latepick.reason, 'resetInProgress');

    const answer = await rig.desk.confirm(lee, rig.group, leesCard, undefined);
    assert.equal(answer.kind, 'refused');
    assert.equal(answer.reason, 'resetInProgress');
    assert.deepEqual(answer.params, { requester: 'meganBowen', since: job.createdAt });

    const found = await rig.desk.search(lee, rig.group, LEE_LUMIA.serial);
    assert.equal(found.kind, 'results');
    assert.equal(found.rows[0]?.pickId, undefined, 'no Pick button while a reset runs');
    assert.deepEqual(found.rows[0]?.activeReset, {
      jobId: job.id,
      requesterName: 'meganBowen',
      requestedAt: job.createdAt,
    });

    const audit = await rig.auditEntries();
    assert.ok(
      audit.some(
        (e) =>
          e.action === 'refused' &&
          e.outcome === 'resetInProgress' &&
          e.actorId === lee.aadObjectId,
      ),
    );
    await rig.tick();
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
  });

  it('two technicians confirming one device at the same moment: one job only', async () => {
    const megan = rig.actor('meganBowen');
    const lee = rig.actor('leeGu');
    const mine = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const his = await rig.pendingActionFor(lee, LEE_LUMIA.serial, LEE_LUMIA.id);
    const answers = await Promise.all([
      rig.desk.confirm(megan, rig.group, mine, undefined),
      rig.desk.confirm(lee, rig.group, his, undefined),
    ]);
    assert.deepEqual(answers.map((a) => (a.kind === 'refused' ? a.reason : a.kind)).sort(), [
      'accepted',
      'resetInProgress',
    ]);
    assert.equal((await rig.stores.documents.list('jobs')).length, 1);
    await rig.tick();
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
  });

  it('after a reset ends, the device can be reset again', async () => {
    const megan = rig.actor('meganBowen');
    await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.tick();
    await rig.tick(2);
    const again = await rig.confirmFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    assert.equal(again.kind, 'accepted');
  });
});

describe('domain: picks and pending actions are bound, unguessable and expire', () => {
  let rig: DeskRig;
  const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
  beforeEach(async () => {
    rig = await DeskRig.start({
      env: { ALLOWED_TENANT_IDS: `${DEMO_TENANT.tenantId},${OTHER_TENANT}` },
    });
  });
  afterEach(async () => {
    assert.deepEqual(graphWrites(rig), [], 'no refused step reached Graph with a write');
    await rig.close();
  });

  const refusedReasons = async () =>
    (await rig.auditEntries()).filter((e) => e.action === 'refused').map((e) => e.outcome);

  it('refuses forged, malformed, foreign, cross-tenant, other-chat and expired pick ids, and audits each', async () => {
    const megan = rig.actor('meganBowen');
    const lee = rig.actor('leeGu');
    const found = await rig.desk.search(megan, rig.group, LEE_LUMIA.serial);
    assert.equal(found.kind, 'results');
    const pickId = found.rows[0]!.pickId!;

    const forged = await rig.desk.pick(megan, rig.group, randomBytes(16).toString('base64url'));
    assert.equal(forged.kind === 'refused' && forged.reason, 'unknownAction');
    const malformed = await rig.desk.pick(megan, rig.group, `${LEE_LUMIA.id}`);
    assert.equal(malformed.kind === 'refused' && malformed.reason, 'invalidInput');
    const foreign = await rig.desk.pick(lee, rig.group, pickId);
    assert.equal(foreign.kind === 'refused' && foreign.reason, 'notYours');
    const otherTenant = await rig.desk.pick(
      rig.actor('meganBowen', { tenantId: OTHER_TENANT }),
      rig.group,
      pickId,
    );
    assert.equal(otherTenant.kind === 'refused' && otherTenant.reason, 'notYours');
    const otherChat = await rig.desk.pick(megan, rig.channel, pickId);
    assert.equal(otherChat.kind === 'refused' && otherChat.reason, 'notYours');
    rig.clock.advanceMinutes(rig.config.PENDING_ACTION_MINUTES + 1);
    const expired = await rig.desk.pick(megan, rig.group, pickId);
    assert.equal(expired.kind === 'refused' && expired.reason, 'expired');

    assert.deepEqual(await refusedReasons(), [
      'expired',
      'notYours',
      'notYours',
      'notYours',
      'invalidInput',
      'unknownAction',
    ]);
    const foreignEntry = (await rig.auditEntries()).find(
      (e) => e.outcome === 'notYours' && e.actorId === lee.aadObjectId,
    );
    assert.equal(foreignEntry?.deviceId, LEE_LUMIA.id);
  });

  it('refuses confirms of unknown, foreign and expired pending actions, and audits each', async () => {
    const megan = rig.actor('meganBowen');
    const lee = rig.actor('leeGu');
    const id = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const reasons = [];
    for (const [actor, actionId] of [
      [megan, randomBytes(16).toString('base64url')],
      [megan, '../jobs/x'],
      [lee, id],
      [rig.actor('meganBowen', { tenantId: OTHER_TENANT }), id],
    ] as const) {
      const answer = await rig.desk.confirm(actor, rig.group, actionId, undefined);
      reasons.push(answer.kind === 'refused' ? answer.reason : answer.kind);
    }
    const otherChat = await rig.desk.confirm(megan, rig.channel, id, undefined);
    reasons.push(otherChat.kind === 'refused' ? otherChat.reason : otherChat.kind);
    rig.clock.advanceMinutes(rig.config.PENDING_ACTION_MINUTES + 1);
    const expired = await rig.desk.confirm(megan, rig.group, id, undefined);
    reasons.push(expired.kind === 'refused' ? expired.reason : expired.kind);
    assert.deepEqual(reasons, [
      'unknownAction',
      'invalidInput',
      'notYours',
      'notYours',
      'notYours',
      'expired',
    ]);
    assert.deepEqual((await refusedReasons()).reverse(), reasons);
    await rig.tick();
    assert.equal((await rig.stores.documents.list('jobs')).length, 0);
  });

  it('cancel: only by the requester, single use, and a cancelled card cannot be confirmed', async () => {
    const megan = rig.actor('meganBowen');
    const id = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const foreign = await rig.desk.cancel(rig.actor('leeGu'), id);
    assert.equal(foreign.kind === 'refused' && foreign.reason, 'notYours');
    assert.deepEqual(await rig.desk.cancel(megan, id), { kind: 'cancelled' });
    assert.deepEqual(await rig.desk.cancel(megan, id), { kind: 'cancelled' });
    const late = await rig.desk.confirm(megan, rig.group, id, undefined);
    assert.equal(late.kind === 'refused' && late.reason, 'alreadyUsed');
    assert.ok(
      (await rig.auditEntries()).some((e) => e.action === 'cancel' && e.deviceId === LEE_LUMIA.id),
    );
  });

  it('validates the query and the ticket reference before anything else happens', async () => {
    const megan = rig.actor('meganBowen');
    const before = rig.emulator.requests.filter((r) => /managedDevices/.test(r.url)).length;
    for (const query of ['', '   ', 'x'.repeat(129), 'lumia\u0000', 'lumia\u202e']) {
      const answer = await rig.desk.search(megan, rig.group, query);
      assert.equal(
        answer.kind === 'refused' && answer.reason,
        'invalidInput',
        JSON.stringify(query),
      );
    }
    assert.equal(rig.emulator.requests.filter((r) => /managedDevices/.test(r.url)).length, before);

    const id = await rig.pendingActionFor(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    for (const ticket of ['T'.repeat(65), 'INC\n42']) {
      const answer = await rig.desk.confirm(megan, rig.group, id, ticket);
      assert.equal(answer.kind === 'refused' && answer.reason, 'invalidInput');
      assert.deepEqual(answer.kind === 'refused' && answer.params?.field, 'ticketRef');
    }
    const ok = await rig.desk.confirm(megan, rig.group, id, 'T'.repeat(64));
    assert.equal(ok.kind, 'accepted');
    assert.equal(ok.job.ticketRef, 'T'.repeat(64));
    await rig.tracker.stop();
  });

  it('a search without matches answers no rows', async () => {
    const answer = await rig.desk.search(
      rig.actor('meganBowen'),
      rig.group,
      'no-such-device-anywhere',
    );
    assert.equal(answer.kind, 'results');
    assert.deepEqual(answer.rows, []);
  });

  it('ineligible rows have no Pick id', async () => {
    const megan = rig.actor('meganBowen');
    const found = await rig.desk.search(megan, rig.group, 'MacBook');
    assert.equal(found.kind, 'results');
    assert.equal(found.rows[0]?.verdict.eligible, false);
    assert.equal(found.rows[0]?.checkAtPick, undefined);
    assert.equal(found.rows[0]?.pickId, undefined);
  });

  it('a row its list data cannot decide is pickable, and refused at Pick with the reason from the device itself', async () => {
    const megan = rig.actor('meganBowen');
    const found = await rig.desk.search(megan, rig.group, 'RM984J7F2G5');
    assert.equal(found.kind, 'results');
    const row = found.rows[0]!;
    assert.equal(row.verdict.eligible, false);
    assert.equal(row.checkAtPick, true, 'v1.0 rows have no deviceType: a phone or a desktop?');
    assert.ok(row.pickId);
    const picked = await rig.desk.pick(megan, rig.group, row.pickId);
    assert.equal(picked.kind, 'refused');
    assert.equal(picked.reason, 'notEligible');
    assert.deepEqual(picked.params, {
      reason: 'osTooOld',
      platform: 'Windows 10 Mobile',
      detail: 'Creators Update (10.0.15063)',
    });
  });
});

describe('domain: pick re-reads the device', () => {
  let rig: DeskRig;
  let change: 'none' | 'gone' | 'downgraded' = 'none';
  beforeEach(async () => {
    change = 'none';
    rig = await DeskRig.start({
      wrapIntune: (real) =>
        withOverrides(real, {
          getDevice: async (id) => {
            const device = await real.getDevice(id);
            if (change === 'gone') return undefined;
            return device && change === 'downgraded'
              ? { ...device, osVersion: '10.0.14393.0' }
              : device;
          },
        }),
    });
  });
  afterEach(async () => {
    await rig.close();
  });

  for (const [what, reason] of [
    ['gone', 'deviceNotFound'],
    ['downgraded', 'notEligible'],
  ] as const) {
    it(`a device that is ${what} since the search is refused: ${reason}`, async () => {
      const megan = rig.actor('meganBowen');
      const found = await rig.desk.search(megan, rig.group, LEE_LUMIA.serial);
      assert.equal(found.kind, 'results');
      change = what;
      const answer = await rig.desk.pick(megan, rig.group, found.rows[0]!.pickId!);
      assert.equal(answer.kind === 'refused' && answer.reason, reason);
      assert.equal((await rig.stores.documents.list('pendingActions')).length, 0);
    });

    it(`a device that is ${what} between Pick and Confirm is refused at Confirm (${reason}), nothing is submitted`, async () => {
      const megan = rig.actor('meganBowen');
      const found = await rig.desk.search(megan, rig.group, LEE_LUMIA.serial);
      assert.equal(found.kind, 'results');
      const picked = await rig.desk.pick(megan, rig.group, found.rows[0]!.pickId!);
      assert.equal(picked.kind, 'confirm');
      change = what;
      const answer = await rig.desk.confirm(
        megan,
        { ...rig.group, activityId: 'card-1' },
        picked.pendingActionId,
        undefined,
      );
      assert.equal(answer.kind === 'refused' && answer.reason, reason);
      assert.deepEqual(await rig.stores.documents.list('jobs'), []);
      assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 0);
    });
  }

  it('status lists the actor own jobs, newest first, limited', async () => {
    const megan = rig.actor('meganBowen');
    const first = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    rig.clock.advanceMinutes(1);
    const second = await rig.startReset(megan, PATTI.serial, PATTI.id);
    await rig.startReset(rig.actor('leeGu'), IRVIN.serial, IRVIN.id);
    const all = await rig.desk.status(megan, 10);
    assert.equal(all.kind, 'status');
    assert.deepEqual(
      all.jobs.map((j) => j.id),
      [second.id, first.id],
    );
    const one = await rig.desk.status(megan, 1);
    assert.equal(one.kind === 'status' && one.jobs.length, 1);
  });
});

describe('domain: rate limits', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('per technician per hour, with the minutes until a slot frees', async () => {
    rig = await DeskRig.start({ env: { RESETS_PER_TECHNICIAN_PER_HOUR: '2' } });
    const megan = rig.actor('meganBowen');
    await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    rig.clock.advanceMinutes(10);
    await rig.startReset(megan, PATTI.serial, PATTI.id);
    rig.clock.advanceMinutes(5);
    const third = await rig.confirmFor(megan, IRVIN.serial, IRVIN.id);
    assert.equal(third.kind, 'refused');
    assert.equal(third.reason, 'rateLimited');
    assert.equal(third.params?.retryAfterMinutes, 45);
    assert.ok(
      (await rig.auditEntries()).some((e) => e.action === 'refused' && e.outcome === 'rateLimited'),
    );
    const lee = await rig.confirmFor(rig.actor('leeGu'), IRVIN.serial, IRVIN.id);
    assert.equal(lee.kind, 'accepted', 'the limit is per technician');
    rig.clock.advanceMinutes(46);
    await rig.tick();
    await rig.tick(5);
    const later = await rig.confirmFor(megan, 'RM1116E5R1Y8', DEMO_TENANT.devices.obrienLumia);
    assert.equal(later.kind, 'accepted');
  });

  it('per tenant per minute', async () => {
    rig = await DeskRig.start({ env: { RESETS_PER_TENANT_PER_MINUTE: '2' } });
    await rig.startReset(rig.actor('meganBowen'), LEE_LUMIA.serial, LEE_LUMIA.id);
    await rig.startReset(rig.actor('leeGu'), PATTI.serial, PATTI.id);
    const third = await rig.confirmFor(rig.actor('nestorWilke'), IRVIN.serial, IRVIN.id);
    assert.equal(third.kind === 'refused' && third.reason, 'tenantRateLimited');
    rig.clock.advanceMinutes(1.1);
    const later = await rig.confirmFor(rig.actor('nestorWilke'), IRVIN.serial, IRVIN.id);
    assert.equal(later.kind, 'accepted');
  });
});
