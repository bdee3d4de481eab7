import assert from 'node:assert/strict';
import type { DeskParts } from '../../../src/domain/createDesk';
import { PICKS_COLLECTION, type PickRecord } from '../../../src/domain/records/pickRepository';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';
import { RecordingDocuments } from '../support/recordingDocuments';

const OPAQUE = /^[A-Za-z0-9_-]{22}$/;

describe('domain: the picks of one search are one stored document', () => {
  let rig: DeskRig;
  let documents: RecordingDocuments;
  let parts: DeskParts;
  beforeEach(async () => {
    rig = await DeskRig.start();
    documents = new RecordingDocuments(rig.stores.documents);
    parts = rig.instance('recorded', { documents });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('a 10-row search writes its picks once, and every pick id works for its own row', async () => {
    const megan = rig.actor('meganBowen');
    const found = await parts.desk.search(megan, rig.group, 'lumia');
    assert.equal(found.kind, 'results');
    assert.equal(found.rows.length, 10);
    const pickable = found.rows.filter((row) => row.pickId);
    assert.ok(pickable.length >= 5, `${pickable.length} rows with a Pick button`);
    assert.equal(documents.count('put', PICKS_COLLECTION), 1, 'one write for the whole card');
    assert.equal((await rig.stores.documents.list(PICKS_COLLECTION)).length, 1);

    const ids = pickable.map((row) => row.pickId!);
    assert.equal(new Set(ids).size, ids.length, 'distinct ids');
    for (const id of ids) assert.match(id, OPAQUE);
    let confirmed = 0;
    for (const row of pickable) {
      const picked = await parts.desk.pick(megan, rig.group, row.pickId!);
      if (picked.kind === 'refused') {
        // Only a row the list could not decide may be refused, on the device read by id.
        assert.equal(row.checkAtPick, true, row.device.deviceName);
        assert.equal(picked.reason, 'notEligible');
        continue;
      }
      assert.equal(picked.kind, 'confirm');
      assert.equal(picked.device.id, row.device.id, 'the pick stands for its own row');
      confirmed++;
    }
    assert.ok(confirmed >= 5, `${confirmed} picks answered with a confirm card`);
  });

  it('stores nothing when no row can be picked', async () => {
    const found = await parts.desk.search(rig.actor('meganBowen'), rig.group, 'MacBook');
    assert.equal(found.kind, 'results');
    assert.ok(found.rows.length >= 1);
    assert.ok(found.rows.every((row) => !row.pickId));
    assert.equal(documents.count('put', PICKS_COLLECTION), 0);
  });

  it("refuses ids made from a real search's part with a forged, foreign or prototype row part", async () => {
    const megan = rig.actor('meganBowen');
    const first = await parts.desk.search(megan, rig.group, 'lumia');
    const second = await parts.desk.search(megan, rig.group, 'lumia');
    assert.ok(first.kind === 'results' && second.kind === 'results');
    const real = first.rows.find((row) => row.pickId)!.pickId!;
    const other = second.rows.find((row) => row.pickId)!.pickId!;
    const searchPart = real.slice(0, 11);
    const forged = [
      `${searchPart}constructor`,
      `${searchPart}AAAAAAAAAAA`,
      `${searchPart}${other.slice(11)}`,
      `${other.slice(0, 11)}${real.slice(11)}`,
    ];
    for (const pickId of forged) {
      const answer = await parts.desk.pick(megan, rig.group, pickId);
      assert.equal(answer.kind === 'refused' && answer.reason, 'unknownAction', pickId);
    }
    const lee = await parts.desk.pick(rig.actor('leeGu'), rig.group, real);
    assert.equal(lee.kind === 'refused' && lee.reason, 'notYours');
  });

  it('still honours a pick stored one per document by the previous version', async () => {
    const megan = rig.actor('meganBowen');
    const now = rig.clock.now();
    const legacyId = 'LegacyPickId0123456789';
    const legacy: PickRecord = {
      tenantId: megan.tenantId,
      aadObjectId: megan.aadObjectId,
      conversationKey: rig.group.key,
      deviceId: DEMO_TENANT.devices.leeLumia650,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    };
    await rig.stores.documents.put(PICKS_COLLECTION, legacyId, legacy);
    const picked = await parts.desk.pick(megan, rig.group, legacyId);
    assert.equal(picked.kind, 'confirm');
    assert.equal(picked.device.id, DEMO_TENANT.devices.leeLumia650);
    const foreign = await parts.desk.pick(rig.actor('leeGu'), rig.group, legacyId);
    assert.equal(foreign.kind === 'refused' && foreign.reason, 'notYours');
  });

  it('flags a device without a check-in for more than STALE_DEVICE_DAYS (7) on its row and its pick', async () => {
    const megan = rig.actor('meganBowen');
    const serial = 'RM1152D2H7J3'; // LEE-LUMIA650, last check-in a day ago
    const fresh = await rig.desk.search(megan, rig.group, serial);
    assert.equal(fresh.kind, 'results');
    assert.equal(fresh.rows[0]?.staleDays, undefined);

    rig.clock.advanceMinutes(8 * 24 * 60);
    const later = await rig.desk.search(megan, rig.group, serial);
    assert.equal(later.kind, 'results');
    const row = later.rows[0]!;
    assert.equal(row.staleDays, 9);
    assert.ok(row.pickId, 'stale is a warning, not a refusal');
    const picked = await rig.desk.pick(megan, rig.group, row.pickId);
    assert.equal(picked.kind, 'confirm');
    assert.equal(picked.staleDays, 9);
  });
});
