import assert from 'node:assert/strict';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

const DEVICES = [
  { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' },
  { id: DEMO_TENANT.devices.pattiIdol4S, serial: 'ALC6071W8N5R' },
  { id: DEMO_TENANT.devices.irvinIdol4S, serial: 'ALC6071U9V4W' },
];

/**
 * Rate limits hold when confirms arrive all at once: a technician who opens several
 * confirm cards and presses them together (or scripts the invokes) gets no more resets
 * than the limit, and neither does a tenant.
 */
describe('domain: rate limits under concurrent confirms', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it('per technician: three confirms at once with a limit of two → two accepted, one refused and audited', async () => {
    rig = await DeskRig.start({ env: { RESETS_PER_TECHNICIAN_PER_HOUR: '2' } });
    const megan = rig.actor('meganBowen');
    const actions: string[] = [];
    for (const device of DEVICES)
      actions.push(await rig.pendingActionFor(megan, device.serial, device.id));
    const answers = await Promise.all(
      actions.map((id) => rig.desk.confirm(megan, rig.group, id, undefined)),
    );
    const kinds = answers.map((a) => (a.kind === 'refused' ? a.reason : a.kind)).sort();
    assert.deepEqual(kinds, ['accepted', 'accepted', 'rateLimited']);
    assert.equal((await rig.stores.documents.list('jobs')).length, 2);
    assert.ok(
      (await rig.auditEntries()).some((e) => e.action === 'refused' && e.outcome === 'rateLimited'),
    );
    await rig.tick();
    await rig.tick(1);
    const posts = DEVICES.reduce((n, d) => n + rig.emulator.resetCalls(d.id), 0);
    assert.equal(posts, 2, 'Graph saw two resetPasscode calls');
  });

  it('a confirm refused after taking its slot (device busy) gives the slot back', async () => {
    rig = await DeskRig.start({ env: { RESETS_PER_TECHNICIAN_PER_HOUR: '1' } });
    const [busy, free] = DEVICES;
    const megan = rig.actor('meganBowen');
    // Megan's confirm card is open when Lee resets that same device.
    const meganCard = await rig.pendingActionFor(megan, busy!.serial, busy!.id);
    await rig.startReset(rig.actor('leeGu'), busy!.serial, busy!.id);
    const blocked = await rig.desk.confirm(megan, rig.group, meganCard, undefined);
    assert.equal(blocked.kind === 'refused' && blocked.reason, 'resetInProgress');
    const next = await rig.confirmFor(megan, free!.serial, free!.id);
    assert.equal(next.kind, 'accepted', 'the refused confirm did not use up the only slot');
    const again = await rig.confirmFor(megan, DEVICES[2]!.serial, DEVICES[2]!.id);
    assert.equal(again.kind === 'refused' && again.reason, 'rateLimited');
  });

  it('per tenant: three technicians confirming at once with a tenant limit of two → two accepted', async () => {
    rig = await DeskRig.start({ env: { RESETS_PER_TENANT_PER_MINUTE: '2' } });
    const people = [rig.actor('meganBowen'), rig.actor('leeGu'), rig.actor('nestorWilke')];
    const actions: Array<{ actor: (typeof people)[number]; id: string }> = [];
    for (const [i, device] of DEVICES.entries()) {
      const actor = people[i]!;
      actions.push({ actor, id: await rig.pendingActionFor(actor, device.serial, device.id) });
    }
    const answers = await Promise.all(
      actions.map(({ actor, id }) => rig.desk.confirm(actor, rig.group, id, undefined)),
    );
    const kinds = answers.map((a) => (a.kind === 'refused' ? a.reason : a.kind)).sort();
    assert.deepEqual(kinds, ['accepted', 'accepted', 'tenantRateLimited']);
    assert.equal((await rig.stores.documents.list('jobs')).length, 2);
  });
});
