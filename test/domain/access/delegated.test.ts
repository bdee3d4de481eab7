import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Actor } from '../../../src/domain/shared/actor';
import type { DeskParts } from '../../../src/domain/createDesk';
import type { UserTokenSource } from '../../../src/domain/access/intuneAccess';
import { UserToken } from '../../../src/domain/shared/userToken';
import { DEV_GRAPH_TOKEN, StaticTokenSource } from '../../../src/intune/credentials';
import { GraphIntune } from '../../../src/intune/graphIntune';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const ADELE_LUMIA = { id: DEMO_TENANT.devices.adeleLumia950XL, serial: 'RM1116C9P4W6' };

/** What the bot's turn read from the token store (the technician's own token). */
const MEGAN_TURN_TOKEN = 'eyJ.megan-turn-token.sig';
/** What the token store gives the tracker later (a refreshed token of the same technician). */
const MEGAN_STORE_TOKEN = 'eyJ.megan-store-token.sig';
const LEE_STORE_TOKEN = 'eyJ.lee-store-token.sig';
const LEE_TURN_TOKEN = 'eyJ.lee-turn-token.sig';

/** The Bot Service token store as the domain sees it (the bot layer's real one is tested in test/bot). */
class FakeTokenStore implements UserTokenSource {
  readonly tokens = new Map<string, string>();
  failing = false;
  lookups = 0;

  async forUser(tenantId: string, aadObjectId: string): Promise<UserToken | undefined> {
    this.lookups++;
    if (this.failing) throw new Error('token store unreachable');
    assert.equal(tenantId, DEMO_TENANT.tenantId);
    const token = this.tokens.get(aadObjectId);
    return token ? new UserToken(token) : undefined;
  }
}

describe('domain: delegated mode (GRAPH_AUTH=delegated)', () => {
  let rig: DeskRig;
  let store: FakeTokenStore;
  let parts: DeskParts;

  beforeEach(async () => {
    rig = await DeskRig.start({ env: { GRAPH_AUTH: 'delegated' } });
    store = new FakeTokenStore();
    parts = rig.instance('delegated-instance', {
      delegated: {
        tokens: store,
        intuneFor: (token) =>
          new GraphIntune({
            baseUrl: rig.emulator.url,
            tokenSource: new StaticTokenSource(token),
            maxRetries: 0,
            requestTimeoutMs: 5000,
            batch: { maxAttempts: 1 },
          }),
      },
    });
    rig.emulator.resetRequests();
  });
  afterEach(async () => {
    await parts.tracker.stop();
    await rig.close();
  });

  const signedIn = (actor: Actor, token: string): Actor => ({
    ...actor,
    graphToken: new UserToken(token),
  });
  const tick = async (minutes = 0) => {
    rig.clock.advanceMinutes(minutes);
    await parts.tracker.runOnce();
  };
  const authorizations = () => new Set(rig.emulator.requests.map((r) => r.authorization));

  async function confirmReset(actor: Actor, serial: string, deviceId: string) {
    const found = await parts.desk.search(actor, rig.group, serial);
    assert.equal(found.kind, 'results', JSON.stringify(found));
    const pickId = found.rows.find((row) => row.device.id === deviceId)?.pickId;
    assert.ok(pickId);
    const picked = await parts.desk.pick(actor, rig.group, pickId);
    assert.equal(picked.kind, 'confirm', JSON.stringify(picked));
    const confirmed = await parts.desk.confirm(
      actor,
      { ...rig.group, activityId: 'card-1' },
      picked.pendingActionId,
      undefined,
    );
    assert.equal(confirmed.kind, 'accepted', JSON.stringify(confirmed));
    return confirmed.job;
  }

  it('asks for sign-in, and calls nothing at all in Graph, while the technician has no token', async () => {
    const megan = rig.actor('meganBowen');
    const answers = [
      await parts.desk.search(megan, rig.group, LEE_LUMIA.serial),
      await parts.desk.pick(megan, rig.group, 'AAAAAAAAAAAAAAAAAAAAAA'),
      await parts.desk.confirm(megan, rig.group, 'AAAAAAAAAAAAAAAAAAAAAA', undefined),
      await parts.desk.cancel(megan, 'AAAAAAAAAAAAAAAAAAAAAA'),
      await parts.desk.status(megan, 10),
      await parts.desk.showPasscode(megan, rig.group, { text: 'lumia' }),
      await parts.desk.checkSetup(megan),
      await parts.desk.audit(megan, 10),
      await parts.desk.notifyHere(megan, rig.channel),
    ];
    for (const answer of answers) {
      assert.deepEqual(answer, { kind: 'refused', reason: 'signInRequired' });
    }
    assert.deepEqual(rig.emulator.requests, [], 'no Graph call before sign-in');
    // Signing in is a step, not an offence: nothing in the audit for it.
    assert.deepEqual(await rig.auditEntries(), []);

    // The tenant is still checked first: another tenant is refused (and audited), not asked to sign in.
    const outsider = rig.actor('meganBowen', { tenantId: '00000000-0000-0000-0000-000000000001' });
    const refused = await parts.desk.search(outsider, rig.group, LEE_LUMIA.serial);
    assert.equal(refused.kind === 'refused' && refused.reason, 'tenantNotAllowed');
  });

  it("checks the groups, searches and picks with the technician's own token", async () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    await confirmReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const paths = rig.emulator.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    assert.ok(
      paths.some((p) => /checkMemberGroups$/.test(p)),
      paths.join('\n'),
    );
    assert.ok(paths.some((p) => /^GET \/v1\.0\/deviceManagement\/managedDevices$/.test(p)));
    assert.ok(paths.some((p) => p.endsWith(`/managedDevices/${LEE_LUMIA.id}`)));
    assert.deepEqual(authorizations(), new Set([`Bearer ${MEGAN_TURN_TOKEN}`]));

    // Not a technician: the group check (with that user's own token) still says no.
    const diego = signedIn(rig.actor('diegoSiciliani'), 'eyJ.diego.sig');
    const refused = await parts.desk.search(diego, rig.group, LEE_LUMIA.serial);
    assert.equal(refused.kind === 'refused' && refused.reason, 'notTechnician');
  });

  it("submits, follows and delivers with the requester's token from the token store, never the app's", async () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    const job = await confirmReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    rig.emulator.resetRequests();

    await tick();
    assert.equal((await rig.job(job.id)).state, 'submitted');
    const post = rig.emulator.requests.find(
      (r) => r.method === 'POST' && r.url.endsWith(`/managedDevices/${LEE_LUMIA.id}/resetPasscode`),
    );
    assert.equal(post?.authorization, `Bearer ${MEGAN_STORE_TOKEN}`);

    rig.emulator.completeReset(LEE_LUMIA.id);
    await tick(0.2);
    assert.equal((await rig.job(job.id)).state, 'done');
    assert.equal(rig.messenger.deliveries.length, 1);
    assert.deepEqual(authorizations(), new Set([`Bearer ${MEGAN_STORE_TOKEN}`]));
    assert.ok(
      rig.emulator.requests.every((r) => r.authorization !== `Bearer ${DEV_GRAPH_TOKEN}`),
      'the app token is never used',
    );

    // Later, in another turn: show passcode reads Graph with that turn's token.
    const laterTurnToken = 'eyJ.megan-later-turn.sig';
    rig.emulator.resetRequests();
    const shown = await parts.desk.showPasscode(
      signedIn(rig.actor('meganBowen'), laterTurnToken),
      rig.personal(megan),
      { jobId: job.id },
    );
    assert.equal(shown.kind, 'passcodeSent', JSON.stringify(shown));
    assert.ok(rig.emulator.requests.length > 0);
    assert.deepEqual(authorizations(), new Set([`Bearer ${laterTurnToken}`]));

    const written = await rig.everythingWritten();
    for (const token of [MEGAN_TURN_TOKEN, MEGAN_STORE_TOKEN, laterTurnToken]) {
      assert.ok(!written.includes(token), 'no token in the store, the audit or the logs');
    }
  });

  it("reads each requester's resets in their own batch, with their own token", async () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    const lee = signedIn(rig.actor('leeGu'), LEE_TURN_TOKEN);
    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    store.tokens.set(lee.aadObjectId, LEE_STORE_TOKEN);
    await confirmReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    await confirmReset(lee, ADELE_LUMIA.serial, ADELE_LUMIA.id);
    await tick();
    rig.emulator.resetRequests();

    await tick(0.2);
    const reads = rig.emulator.requests.filter((r) => r.inBatch);
    const tokenFor = (deviceId: string) =>
      reads.filter((r) => r.url.includes(deviceId)).map((r) => r.authorization);
    assert.deepEqual(tokenFor(LEE_LUMIA.id), [`Bearer ${MEGAN_STORE_TOKEN}`]);
    assert.deepEqual(tokenFor(ADELE_LUMIA.id), [`Bearer ${LEE_STORE_TOKEN}`]);
  });

  it('waits for a requester who signed out, tells them once, and goes on once they sign in again', async () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    const job = await confirmReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    rig.emulator.resetRequests();

    await tick();
    await tick(1.5);
    assert.equal((await rig.job(job.id)).state, 'requested');
    assert.deepEqual(rig.emulator.requests, [], 'nothing reaches Graph without a token');
    assert.deepEqual(
      rig.messenger.notifications.map((n) => [n.kind, n.audience]),
      [['signInNeeded', 'requester']],
    );

    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    await tick(1.5);
    assert.equal((await rig.job(job.id)).state, 'submitted');
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
    assert.deepEqual(authorizations(), new Set([`Bearer ${MEGAN_STORE_TOKEN}`]));
    assert.equal(rig.messenger.notifications.length, 1, 'told once');
  });

  it('pauses a delivery retry until the requester signs in again', async () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    const job = await confirmReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    await tick();
    rig.messenger.failDeliveries(new Error('connector down'));
    rig.emulator.completeReset(LEE_LUMIA.id);
    await tick(0.2);
    assert.equal((await rig.job(job.id)).delivery?.state, 'pending');

    store.tokens.clear();
    rig.emulator.resetRequests();
    await tick(1);
    assert.deepEqual(rig.emulator.requests, []);
    assert.equal(rig.messenger.deliveries.length, 0);
    assert.deepEqual(
      rig.messenger.notifications.map((n) => n.kind),
      ['signInNeeded'],
    );

    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    await tick(1.5);
    assert.equal(rig.messenger.deliveries.length, 1);
    assert.equal((await rig.job(job.id)).delivery?.state, 'sent');
    assert.deepEqual(authorizations(), new Set([`Bearer ${MEGAN_STORE_TOKEN}`]));
  });

  it('retries quietly when the token store cannot be asked', async () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    store.tokens.set(megan.aadObjectId, MEGAN_STORE_TOKEN);
    const job = await confirmReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    store.failing = true;
    await tick();
    assert.equal((await rig.job(job.id)).state, 'requested');
    assert.equal(rig.messenger.notifications.length, 0, 'an outage is not a sign-out');
    assert.ok(store.lookups > 0);

    store.failing = false;
    await tick(1);
    assert.equal((await rig.job(job.id)).state, 'submitted');
  });

  it('keeps a token out of every serialisation', () => {
    const megan = signedIn(rig.actor('meganBowen'), MEGAN_TURN_TOKEN);
    assert.ok(!JSON.stringify(megan).includes(MEGAN_TURN_TOKEN));
    assert.ok(!inspect(megan, { depth: 5 }).includes(MEGAN_TURN_TOKEN));
    assert.ok(!`${megan.graphToken}`.includes(MEGAN_TURN_TOKEN));
    assert.equal(megan.graphToken?.reveal(), MEGAN_TURN_TOKEN);
  });
});
