import assert from 'node:assert/strict';
import type { ResetJob } from '../../../src/domain/shared/job';
import type { JobDocument } from '../../../src/domain/records/jobRepository';
import { jobsToReadNow } from '../../../src/domain/tracking/readPriority';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
const MINUTE = 60_000;

/** A job submitted `ageMs` ago, due since `overdueMs`. */
function job(id: string, ageMs: number, overdueMs: number): JobDocument {
  const value = {
    id,
    state: 'submitted',
    createdAt: ago(ageMs),
    submittedAt: ago(ageMs),
    nextCheckAt: ago(overdueMs),
  } as ResetJob;
  return { key: id, value, etag: `e-${id}` };
}

const ids = (docs: JobDocument[]): string[] => docs.map((d) => d.key);

describe('domain: which due jobs the tracker reads first (readPriority)', () => {
  it('reads a reset confirmed a moment ago before a backlog that is more overdue', () => {
    const backlog = Array.from({ length: 30 }, (_, i) => job(`old-${i}`, 120 * MINUTE, 60_000 + i));
    const fresh = job('fresh', 10_000, 0);
    const chosen = jobsToReadNow([...backlog, fresh], 8, NOW);
    assert.equal(chosen.length, 8);
    assert.equal(chosen[0]?.key, 'fresh');
  });

  it('keeps a quarter of the reads for older jobs when young ones could take them all', () => {
    const young = Array.from({ length: 20 }, (_, i) => job(`young-${i}`, 30_000, i * 10));
    const older = Array.from({ length: 20 }, (_, i) => job(`older-${i}`, 30 * MINUTE, i * 10));
    const chosen = ids(jobsToReadNow([...young, ...older], 8, NOW));
    assert.equal(chosen.filter((k) => k.startsWith('young')).length, 6);
    assert.equal(chosen.filter((k) => k.startsWith('older')).length, 2);
  });

  it('gives young jobs every read the older ones do not need, and the other way round', () => {
    const young = Array.from({ length: 10 }, (_, i) => job(`young-${i}`, 30_000, i));
    assert.equal(jobsToReadNow([...young, job('older', 30 * MINUTE, 0)], 8, NOW).length, 8);
    assert.deepEqual(
      ids(jobsToReadNow([...young, job('older', 30 * MINUTE, 0)], 8, NOW)).slice(-1),
      ['older'],
    );
    const older = Array.from({ length: 10 }, (_, i) => job(`older-${i}`, 30 * MINUTE, i));
    assert.equal(jobsToReadNow(older, 8, NOW).length, 8, 'no young job: all reads go to older');
  });

  it('takes the most overdue first within each group', () => {
    const chosen = jobsToReadNow(
      [job('a', 20 * MINUTE, 1_000), job('b', 20 * MINUTE, 9_000), job('c', 20 * MINUTE, 5_000)],
      2,
      NOW,
    );
    assert.deepEqual(ids(chosen), ['b', 'c']);
  });

  it('reads nothing when the budget is spent', () => {
    assert.deepEqual(jobsToReadNow([job('a', 1_000, 0)], 0, NOW), []);
  });

  it('counts age from the submission, so a job confirmed long ago but submitted late is young', () => {
    const late = job('late', 0, 0);
    late.value.createdAt = ago(60 * MINUTE);
    late.value.submittedAt = ago(30_000);
    const backlog = Array.from({ length: 4 }, (_, i) => job(`old-${i}`, 90 * MINUTE, 99_000));
    assert.equal(
      jobsToReadNow([...backlog, late], 1, NOW)[0]?.key,
      'old-0',
      'a quarter kept for the backlog',
    );
    assert.equal(jobsToReadNow([...backlog, late], 4, NOW)[0]?.key, 'late');
  });
});
