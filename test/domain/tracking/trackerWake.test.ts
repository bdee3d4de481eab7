import assert from 'node:assert/strict';
import type { DeskParts } from '../../../src/domain/createDesk';
import { JOBS_NEEDING_WORK_COLLECTION } from '../../../src/domain/records/jobRepository';
import { DeskRig } from '../support/deskRig';
import { waitFor } from '../support/intuneOverrides';
import { RecordingDocuments } from '../support/recordingDocuments';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('domain: tracker wake-ups', () => {
  let rig: DeskRig;
  let parts: DeskParts;
  let documents: RecordingDocuments;
  let hold: Promise<void> | undefined;
  let release: () => void = () => undefined;
  /** Cycles started: each lists the index of jobs needing work once. */
  const cycles = () => documents.count('list', JOBS_NEEDING_WORK_COLLECTION);

  beforeEach(async () => {
    // An hour between timed cycles: every cycle in these tests comes from start() or wake().
    rig = await DeskRig.start({ env: { TRACKER_INTERVAL_SECONDS: '3600' } });
    documents = new RecordingDocuments(rig.stores.documents);
    documents.beforeList = async (collection) => {
      if (collection === JOBS_NEEDING_WORK_COLLECTION) await hold;
    };
    parts = rig.instance('woken', { documents });
  });
  afterEach(async () => {
    release();
    await parts.tracker.stop();
    await rig.close();
  });

  const holdCycles = () => {
    hold = new Promise<void>((resolve) => (release = resolve));
  };

  it('five wake() calls during a cycle run exactly one more cycle, right after it', async () => {
    holdCycles();
    parts.tracker.start();
    await waitFor(() => cycles() === 1, 'the first cycle');
    for (let i = 0; i < 5; i++) parts.tracker.wake();
    release();
    await waitFor(() => cycles() >= 2, 'the follow-up cycle');
    await settle(200);
    assert.equal(cycles(), 2, 'one follow-up, not five');
  });

  it('wake() calls while idle run one cycle now', async () => {
    parts.tracker.start();
    await waitFor(() => cycles() === 1, 'the first cycle');
    // Idle: the first cycle has ended (its trace line), so these wakes find no cycle running.
    await waitFor(() => rig.trackerCycles() === 1, 'the first cycle to end');
    for (let i = 0; i < 5; i++) parts.tracker.wake();
    await waitFor(() => cycles() >= 2, 'the woken cycle');
    await settle(200);
    assert.equal(cycles(), 2);
  });
});
