import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../src/domain/ports/audit';
import { housekeepJobs } from '../../../src/domain/tracking/housekeeping';
import type { ResetJob } from '../../../src/domain/shared/job';
import {
  JOBS_COLLECTION,
  JOBS_NEEDING_WORK_COLLECTION,
  JobRepository,
} from '../../../src/domain/records/jobRepository';
import type { Stores } from '../../../src/domain/ports/storage';
import { openSqliteStores } from '../../../src/store/sqlite/openSqliteStores';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';
import { FakeClock } from '../support/fakeClock';
import { RecordingDocuments } from '../support/recordingDocuments';

const DAY_MS = 24 * 60 * 60_000;

function job(id: string, at: Date, changes: Partial<ResetJob> = {}): ResetJob {
  return {
    id,
    tenantId: DEMO_TENANT.tenantId,
    device: { id: `device-${id}`, name: `Lumia ${id}` },
    requester: { aadObjectId: DEMO_TENANT.users.meganBowen, locale: 'en-US' },
    origin: { key: 'group:helpdesk-chat', kind: 'groupChat' },
    state: 'requested',
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    checks: 0,
    remindersSent: 0,
    notified: [],
    ...changes,
  };
}

/** Finished, delivered and hidden: nothing left to do. */
const finished = (j: ResetJob, at: Date): ResetJob => ({
  ...j,
  state: 'done',
  finishedAt: at.toISOString(),
  updatedAt: at.toISOString(),
  delivery: { state: 'hidden', attempts: 1 },
});

/** `show passcode` sent it again: the tracker owes a hide. */
const shownAgain = (j: ResetJob, at: Date): ResetJob => ({
  ...j,
  updatedAt: at.toISOString(),
  delivery: { state: 'sent', attempts: 2, hideAt: new Date(at.getTime() + 600_000).toISOString() },
});

describe('domain: the index of jobs needing work', () => {
  let dir: string;
  let stores: Stores<AuditEntry>;
  let documents: RecordingDocuments;
  let clock: FakeClock;
  let jobs: JobRepository;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passcode-desk-index-'));
    stores = openSqliteStores<AuditEntry>(dir);
    documents = new RecordingDocuments(stores.documents);
    clock = new FakeClock(new Date('2026-11-24T10:00:00.000Z'));
    jobs = new JobRepository(documents, { clock });
  });
  afterEach(async () => {
    await stores.documents.close();
    await rm(dir, { recursive: true, force: true });
  });

  const indexed = async () =>
    (await stores.documents.list(JOBS_NEEDING_WORK_COLLECTION)).map((doc) => doc.key).sort();
  const needingWork = async () => (await jobs.listNeedingWork()).map((doc) => doc.key).sort();

  it('follows each job: indexed on create, dropped once finished, back when a hide is owed again', async () => {
    const created = await jobs.create(job('a', clock.now()));
    await jobs.create(job('b', clock.now()));
    assert.ok(created);
    assert.deepEqual(await indexed(), ['a', 'b']);
    assert.deepEqual(await needingWork(), ['a', 'b']);

    const done = await jobs.replace(created, finished(created.value, clock.now()));
    assert.ok(done);
    assert.deepEqual(await indexed(), ['b'], 'entry removed with the write that finished it');
    assert.deepEqual(await needingWork(), ['b']);

    await jobs.update('a', (latest) => shownAgain(latest, clock.now()));
    assert.deepEqual(await indexed(), ['a', 'b'], 'entry back with the write that needs a hide');
    assert.deepEqual(await needingWork(), ['a', 'b']);
  });

  it('lists only the index and the jobs it names, not every job stored', async () => {
    for (let i = 0; i < 30; i++) {
      await stores.documents.put(
        JOBS_COLLECTION,
        `old-${i}`,
        finished(job(`old-${i}`, clock.now()), clock.now()),
      );
    }
    await jobs.create(job('live', clock.now()));
    documents.calls.length = 0;
    assert.deepEqual(await needingWork(), ['live']);
    assert.equal(documents.count('list', JOBS_COLLECTION), 0, 'the jobs collection is not listed');
    assert.equal(documents.count('get', JOBS_COLLECTION), 1, 'one job read');
  });

  it('drops entries of jobs needing no work at once, and of missing jobs after a grace', async () => {
    const stale = finished(job('stale', clock.now()), clock.now());
    await stores.documents.put(JOBS_COLLECTION, 'stale', stale);
    await stores.documents.put(JOBS_NEEDING_WORK_COLLECTION, 'stale', {
      since: clock.now().toISOString(),
    });
    await stores.documents.put(JOBS_NEEDING_WORK_COLLECTION, 'creating', {
      since: clock.now().toISOString(),
    });

    assert.deepEqual(await needingWork(), []);
    assert.deepEqual(
      await indexed(),
      ['creating'],
      "a missing job's entry may be a create in flight",
    );
    clock.advance(60_000);
    assert.deepEqual(await needingWork(), []);
    assert.deepEqual(await indexed(), ['creating']);
    clock.advance(61_000);
    assert.deepEqual(await needingWork(), []);
    assert.deepEqual(await indexed(), [], 'gone after the grace');
  });

  it('a listing between the entry write and the job write of a create keeps the entry', async () => {
    const tracker = new JobRepository(stores.documents, { clock });
    let listedMeanwhile: string[] | undefined;
    documents.beforePut = async (collection) => {
      if (collection === JOBS_COLLECTION && listedMeanwhile === undefined) {
        listedMeanwhile = (await tracker.listNeedingWork()).map((doc) => doc.key);
      }
    };
    assert.ok(await jobs.create(job('c', clock.now())));
    assert.deepEqual(listedMeanwhile, [], 'the job was not there yet');
    assert.deepEqual(await needingWork(), ['c']);
  });

  for (const path of ['listNeedingWork', 'the write that finished the job'] as const) {
    it(`removing a stale entry (${path}) never loses a concurrent re-add (ifMatch on the entry's ETag)`, async () => {
      const other = new JobRepository(stores.documents, { clock });
      const created = (await jobs.create(job('r', clock.now())))!;
      let staleDoc = created;
      if (path === 'listNeedingWork') {
        // Finished behind the index's back: the entry is stale.
        await stores.documents.put(JOBS_COLLECTION, 'r', finished(created.value, clock.now()));
        staleDoc = (await stores.documents.get<ResetJob>(JOBS_COLLECTION, 'r'))!;
      }
      // Right after the remover read the (finished) job, another writer makes it need
      // work again and re-adds the entry, before the remover deletes the entry it read.
      let raced = false;
      documents.afterGet = async (collection, key) => {
        if (collection !== JOBS_COLLECTION || key !== 'r' || raced) return;
        const current = await stores.documents.get<ResetJob>(JOBS_COLLECTION, 'r');
        if (current?.value.state !== 'done') return;
        raced = true;
        await other.update('r', (latest) => shownAgain(latest, clock.now()));
      };
      if (path === 'listNeedingWork') {
        assert.deepEqual(await needingWork(), [], 'it read the job finished');
      } else {
        await jobs.replace(staleDoc, finished(staleDoc.value, clock.now()));
      }
      assert.ok(raced, 'the concurrent re-add ran in between');
      assert.deepEqual(await indexed(), ['r'], 'the re-added entry survived');
      documents.afterGet = undefined;
      assert.deepEqual(await needingWork(), ['r']);
    });
  }

  it('reconcile re-indexes a job needing work whose entry is missing, and only that', async () => {
    await jobs.create(job('lost', clock.now()));
    await jobs.create(job('kept', clock.now()));
    const done = (await jobs.create(job('done', clock.now())))!;
    await jobs.replace(done, finished(done.value, clock.now()));
    await stores.documents.delete(JOBS_NEEDING_WORK_COLLECTION, 'lost');
    assert.deepEqual(await needingWork(), ['kept']);

    assert.deepEqual(await jobs.reconcile(), { reindexed: 1, purged: 0 });
    assert.deepEqual(await indexed(), ['kept', 'lost']);
    assert.deepEqual(await needingWork(), ['kept', 'lost']);
  });

  it('housekeeping deletes jobs finished more than 30 days ago, and keeps recent and unfinished ones', async () => {
    const now = clock.now();
    const longAgo = new Date(now.getTime() - 40 * DAY_MS);
    const put = (j: ResetJob) => stores.documents.put(JOBS_COLLECTION, j.id, j);
    await put(finished(job('old', longAgo), new Date(now.getTime() - 31 * DAY_MS)));
    await put(finished(job('recent', longAgo), new Date(now.getTime() - 29 * DAY_MS)));
    // Finished long ago but shown again yesterday, and a job still running after 40 days.
    await put(shownAgain(finished(job('hiding', longAgo), longAgo), longAgo));
    await put(job('running', longAgo, { state: 'pending' }));

    assert.deepEqual(await housekeepJobs(jobs, now), { reindexed: 2, purged: 1 });
    const left = (await stores.documents.list(JOBS_COLLECTION)).map((doc) => doc.key).sort();
    assert.deepEqual(left, ['hiding', 'recent', 'running']);
    assert.deepEqual(await needingWork(), ['hiding', 'running']);
  });
});

describe('domain: the tracker and the index', () => {
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  const LEE = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
  const entries = async () =>
    (await rig.stores.documents.list(JOBS_NEEDING_WORK_COLLECTION)).map((doc) => doc.key);

  it('a reset leaves the index when nothing is owed any more (delivered and hidden)', async () => {
    rig = await DeskRig.start();
    const started = await rig.startReset(rig.actor('meganBowen'), LEE.serial, LEE.id);
    assert.deepEqual(await entries(), [started.id]);
    for (let i = 0; i < 20 && (await rig.job(started.id)).delivery?.state !== 'sent'; i++) {
      await rig.tick(0.5);
    }
    assert.equal((await rig.job(started.id)).delivery?.state, 'sent');
    assert.deepEqual(await entries(), [started.id], 'the hide is still owed');
    await rig.tick(rig.config.PASSCODE_VISIBLE_MINUTES + 1);
    assert.equal((await rig.job(started.id)).delivery?.state, 'hidden');
    assert.deepEqual(await entries(), []);
  });

  it('reconciles on its first cycle and then hourly: a job that lost its entry is tracked again', async () => {
    rig = await DeskRig.start();
    const megan = rig.actor('meganBowen');
    await rig.tick(); // the first cycle's housekeeping is done
    const started = await rig.startReset(megan, LEE.serial, LEE.id);
    await rig.stores.documents.delete(JOBS_NEEDING_WORK_COLLECTION, started.id);

    await rig.tick(1);
    assert.equal((await rig.job(started.id)).state, 'requested', 'not listed: not submitted');
    assert.equal(rig.emulator.resetCalls(LEE.id), 0);

    const restarted = rig.instance('instance-b');
    await rig.tick(0, restarted);
    assert.equal((await rig.job(started.id)).state, 'submitted', 'a new tracker reconciles first');
    assert.equal(rig.emulator.resetCalls(LEE.id), 1);

    await rig.stores.documents.delete(JOBS_NEEDING_WORK_COLLECTION, started.id);
    await rig.tick(61);
    assert.deepEqual(await entries(), [started.id], 'the hourly housekeeping re-indexed it');
  });
});
