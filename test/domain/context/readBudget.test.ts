import assert from 'node:assert/strict';
import type { DeskParts } from '../../../src/domain/createDesk';
import { POLICY } from '../../../src/domain/desk/deskSettings';
import type { ResetJob } from '../../../src/domain/shared/job';
import { JobRepository } from '../../../src/domain/records/jobRepository';
import { ReadBudget } from '../../../src/domain/context/readBudget';
import type { ResetResultOrError } from '../../../src/domain/ports/intune';
import { DEMO_TENANT, DeskRig } from '../support/deskRig';
import { withOverrides } from '../support/intuneOverrides';

describe('domain: ReadBudget', () => {
  it('allows at most maxReads in any closed window of windowMs', () => {
    const budget = new ReadBudget(200, 20_000);
    const t0 = Date.parse('2026-11-24T10:00:00.000Z');
    const at = (ms: number) => new Date(t0 + ms);
    assert.equal(budget.available(at(0)), 200);
    budget.spend(150, at(0));
    assert.equal(budget.available(at(0)), 50);
    budget.spend(50, at(10_000));
    assert.equal(budget.available(at(10_000)), 0);
    assert.equal(budget.available(at(20_000)), 0, 'a read at the window start still counts');
    assert.equal(budget.available(at(20_001)), 150);
    assert.equal(budget.available(at(30_001)), 200);
  });
});

describe('domain: the tracker spends a rolling read budget, young resets first, then the most overdue', () => {
  const JOBS = 1_000;
  const WINDOW = POLICY.trackerReadWindowMs;
  let rig: DeskRig;
  afterEach(async () => {
    await rig.close();
  });

  it(`never reads more than ${POLICY.trackerReadsPerWindow} devices in any ${WINDOW / 1000} s with ${JOBS} jobs due, and reads every one`, async () => {
    rig = await DeskRig.start();
    const reads: Array<{ at: number; deviceIds: readonly string[] }> = [];
    const intune = withOverrides(rig.intune, {
      // Intune has no result yet for any of them: each stays due at its interval.
      getResetResults: async (ids) => {
        reads.push({ at: rig.clock.now().getTime(), deviceIds: ids });
        return new Map<string, ResetResultOrError>(
          ids.map((id) => [id, { ok: true, result: undefined }]),
        );
      },
    });
    const tracking: DeskParts = rig.instance('budgeted', { intune });
    const jobs = new JobRepository(rig.stores.documents, { clock: rig.clock });
    const now = rig.clock.now().toISOString();
    for (let i = 0; i < JOBS; i++) {
      await jobs.create(submittedJob(`job-${i}`, now));
    }

    // One cycle every 5 s (TRACKER_INTERVAL_SECONDS) for 2.5 minutes.
    for (let t = 0; t <= 150_000; t += 5_000) {
      await rig.tick(t === 0 ? 0 : 5 / 60, tracking);
    }

    const limit = POLICY.trackerReadsPerWindow;
    for (const read of reads) {
      const inWindow = reads
        .filter((r) => r.at >= read.at - WINDOW && r.at <= read.at)
        .reduce((sum, r) => sum + r.deviceIds.length, 0);
      assert.ok(inWindow <= limit, `${inWindow} reads in the ${WINDOW} ms up to ${read.at}`);
    }
    const devices = new Set(reads.flatMap((r) => r.deviceIds));
    assert.equal(devices.size, JOBS, 'every due job was read: none starved');
    const total = reads.reduce((sum, r) => sum + r.deviceIds.length, 0);
    assert.ok(total >= JOBS, `the budget is spent, not left idle: ${total} reads`);
  });

  it('reads a reset confirmed now in the first cycle, even behind a backlog that fills the budget', async () => {
    rig = await DeskRig.start();
    const reads: string[][] = [];
    const intune = withOverrides(rig.intune, {
      getResetResults: async (ids) => {
        reads.push([...ids]);
        return new Map<string, ResetResultOrError>(
          ids.map((id) => [id, { ok: true, result: undefined }]),
        );
      },
    });
    const tracking: DeskParts = rig.instance('prioritised', { intune });
    const jobs = new JobRepository(rig.stores.documents, { clock: rig.clock });
    const now = rig.clock.now().getTime();
    // Devices that have not checked in for two hours, all overdue: more than one budget's worth.
    const twoHoursAgo = new Date(now - 2 * 3_600_000).toISOString();
    for (let i = 0; i < 2 * POLICY.trackerReadsPerWindow; i++) {
      await jobs.create(submittedJob(`old-${i}`, twoHoursAgo));
    }
    await jobs.create(submittedJob('fresh', new Date(now).toISOString()));

    await rig.tick(0, tracking);

    const first = reads.flat();
    assert.equal(first.length, POLICY.trackerReadsPerWindow, 'the budget is spent in full');
    assert.ok(first.includes('device-fresh'), 'the technician who is waiting is served first');
  });
});

function submittedJob(id: string, at: string): ResetJob {
  return {
    id,
    tenantId: DEMO_TENANT.tenantId,
    device: { id: `device-${id}`, name: `Lumia ${id}` },
    requester: { aadObjectId: DEMO_TENANT.users.meganBowen, locale: 'en-US' },
    origin: { key: 'group:helpdesk-chat', kind: 'groupChat' },
    state: 'submitted',
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
    nextCheckAt: at,
    checks: 0,
    remindersSent: 0,
    notified: [],
    submitAttempts: 1,
  };
}
