import assert from 'node:assert/strict';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';
import { RecordingDocuments } from '../support/recordingDocuments';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };

describe("domain: a card's refresh reads that one job", () => {
  let rig: DeskRig;
  beforeEach(async () => {
    rig = await DeskRig.start();
  });
  afterEach(async () => {
    await rig.close();
  });

  it("answers the actor's own reset by id with one read, no scan of the technician's jobs", async () => {
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const documents = new RecordingDocuments(rig.stores.documents);
    const { desk } = rig.instance('refreshing', { documents });

    const answer = await desk.job(megan, job.id);
    assert.equal(answer.kind === 'job' && answer.job.id, job.id);
    assert.equal(answer.kind === 'job' && answer.job.state, job.state);
    assert.equal(documents.count('list', 'jobs'), 0, 'no listing of every job');
    assert.equal(documents.count('get', 'jobs'), 1);
  });

  it("answers someone else's reset, or an unknown id, as not the actor's", async () => {
    const megan = rig.actor('meganBowen');
    const job = await rig.startReset(megan, LEE_LUMIA.serial, LEE_LUMIA.id);
    const other = await rig.desk.job(rig.actor('adeleVance'), job.id);
    assert.equal(other.kind === 'refused' && other.reason, 'notYours');
    const unknown = await rig.desk.job(megan, 'no-such-job');
    assert.equal(unknown.kind === 'refused' && unknown.reason, 'notYours');
  });
});
