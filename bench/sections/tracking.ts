import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import { createDesk } from '../../src/domain/createDesk';
import { POLICY } from '../../src/domain/desk/deskSettings';
import type { ResetJob } from '../../src/domain/shared/job';
import { mapWithConcurrency } from '../../src/domain/shared/mapWithConcurrency';
import type { Messenger, SentMessage } from '../../src/domain/ports/messenger';
import { syntheticDevices } from '../../src/emulator/synthetic';
import { createIntune } from '../../src/intune/createIntune';
import { silentLogger } from '../../src/logger';
import {
  JOBS_NEEDING_WORK_COLLECTION,
  JobRepository,
} from '../../src/domain/records/jobRepository';
import type { DocumentStore } from '../../src/domain/ports/storage';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { check, type Check, type SectionResult } from '../report';
import { mean } from '../stats';
import { startTarget, type TargetProcess } from '../support/child';
import type { RequestCounts } from '../targets/emulatorTarget';
import type { BenchSettings } from '../settings';

const SECTION = 'Tracking';
/** Intune's devices service allows one app 2000 requests per 20 s per tenant. */
const INTUNE_APP_BUDGET_PER_20S = 2000;
const LAG_SAMPLES = 5;
/** Backlog jobs were submitted this long ago, so they are on the slowest interval. */
const BACKLOG_AGE_MS = 2 * 60 * 60_000;
const BACKLOG_INTERVAL_MS = 10 * 60_000;
/** A new reset's device checks in this long after the confirm. */
const DEVICE_ANSWERS_AFTER_MS = 1_500;

interface SizeFigures {
  pending: number;
  cycles: number;
  windowSeconds: number;
  topLevelPerCycle: number;
  subRequestsPerCycle: number;
  topLevelPer20s: number;
  subRequestsPer20s: number;
  devicesReadPerCycle: number;
  cycleMs: number;
  /** New resets confirmed during the window: from Intune's done to the passcode handed over. */
  lagMs: number[];
  /** Backlog resets: from the later of Intune's done and the job's scheduled read. */
  backlogLagMs: number[];
  delivered: number;
  lagWaitMs: number;
}

/** Records when each passcode reached the "1:1 chat"; everything else is a no-op. */
class TimingMessenger implements Messenger {
  readonly deliveredAt = new Map<string, number>();
  async preparePasscodeMessage(job: ResetJob): Promise<SentMessage> {
    return { conversationKey: 'c-bench', messageId: `m-${job.id}` };
  }
  async deliverPasscode(job: ResetJob): Promise<void> {
    this.deliveredAt.set(job.device.id, performance.now());
  }
  async hidePasscode(): Promise<void> {}
  async updateOriginCard(): Promise<void> {}
  async notify(): Promise<void> {}
  async requestApproval(): Promise<SentMessage[]> {
    return [];
  }
  async updateApprovalCards(): Promise<void> {}
}

/** Counts tracker cycles: every cycle starts by listing the index of jobs needing work. */
function countingDocuments(inner: DocumentStore, onJobsList: () => void): DocumentStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'list') {
        return (collection: string, options?: { prefix?: string }) => {
          if (collection === JOBS_NEEDING_WORK_COLLECTION) onJobsList();
          return target.list(collection, options);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

export async function tracking(settings: BenchSettings): Promise<SectionResult> {
  const largest = Math.max(...settings.trackingSizes);
  const emulator = await startTarget(join(settings.distBench, 'targets', 'emulatorTarget.js'), {
    // Resets stay pending until the bench completes them.
    env: {
      BENCH_EMULATOR: JSON.stringify({
        syntheticDevices: largest + LAG_SAMPLES,
        resetDelayMs: 86_400_000,
      }),
    },
  });
  const sizes: SizeFigures[] = [];
  try {
    for (const pending of settings.trackingSizes) {
      settings.progress(`tracking: ${pending.toLocaleString('en-US')} pending resets`);
      sizes.push(await measureSize(pending, emulator, settings));
    }
  } finally {
    await emulator.stop();
  }
  return buildResult(sizes, settings);
}

async function measureSize(
  pending: number,
  emulator: TargetProcess,
  settings: BenchSettings,
): Promise<SizeFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-tracking-'));
  const config = loadConfig({
    GRAPH_BASE_URL: String(emulator.info.url),
    TRACKER_INTERVAL_SECONDS: String(settings.trackerIntervalSeconds),
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
  });
  const stores = openSqliteStores<AuditEntry>(dataDir);
  let cycles = 0;
  const documents = countingDocuments(stores.documents, () => cycles++);
  const intune = createIntune(config, silentLogger);
  const messenger = new TimingMessenger();
  const { tracker } = createDesk({
    config,
    intune,
    stores: { documents, audit: stores.audit },
    messenger,
    logger: silentLogger,
  });
  try {
    const devices = syntheticDevices(pending + LAG_SAMPLES, Date.now());
    const backlog = devices.slice(0, pending);
    const fresh = devices.slice(pending);
    // Graph first (so each device has a pending resetPasscode entry), then the jobs as the desk stores them.
    await mapWithConcurrency(devices, 16, async (device) => {
      await intune.resetPasscode(device.id);
    });
    const tenantId = String(emulator.info.tenantId);
    const jobs = new JobRepository(stores.documents);
    // The backlog: devices that have not checked in for two hours, read every 10 minutes
    // (trackingIntervalMs), their next reads spread evenly over the next 10 minutes as
    // the tracker's own earlier reads leave them. The last LAG_SAMPLES are due within the window.
    const submittedLongAgo = new Date(Date.now() - BACKLOG_AGE_MS).toISOString();
    const spreadFrom = Date.now();
    const sampled = pickSample(
      backlog.map((d) => d.id),
      LAG_SAMPLES,
      pending,
    );
    const spread = backlog.map((device, index) => ({
      device,
      due: new Date(spreadFrom + Math.floor((index / backlog.length) * BACKLOG_INTERVAL_MS)),
    }));
    await mapWithConcurrency(spread, 16, async ({ device, due }) => {
      await jobs.create(submittedJob(device, tenantId, submittedLongAgo, due));
    });
    tracker.start();
    await waitFor(() => cycles >= 1, 30_000);
    // The sampled backlog jobs are due a few seconds into the window.
    const scheduledAt = new Map<string, number>();
    await Promise.all(
      sampled.map(async (id, i) => {
        const due = Date.now() + 4_000 + i * 2_000;
        const job = await jobs.get(`bench-${id}`);
        if (!job) throw new Error(`backlog job ${id} missing`);
        await jobs.replace(job, { ...job.value, nextCheckAt: new Date(due).toISOString() });
        scheduledAt.set(id, performance.now() + (due - Date.now()));
      }),
    );
    await emulator.call('takeRequestCounts');
    const t0 = performance.now();
    const startCycles = cycles;

    // Technicians confirm LAG_SAMPLES new resets (the desk wakes the tracker after a confirm);
    // their devices check in a moment later, and so do the sampled backlog devices.
    const confirmedAt = new Date().toISOString();
    await Promise.all(
      fresh.map((device) =>
        jobs.create(submittedJob(device, tenantId, confirmedAt, new Date(confirmedAt))),
      ),
    );
    tracker.wake();
    await delay(DEVICE_ANSWERS_AFTER_MS);
    await emulator.call('completeResets', [...fresh.map((d) => d.id), ...sampled]);
    const completedAt = performance.now();

    await waitFor(() => cycles >= startCycles + settings.trackingCycles, 120_000);
    const windowMs = performance.now() - t0;
    const counts = await emulator.call<RequestCounts>('takeRequestCounts');
    const observed = cycles - startCycles;

    const lagWaitMs = settings.trackingLagWaitMs(pending);
    const waitLeft = lagWaitMs - (performance.now() - completedAt);
    const everyone = [...fresh.map((d) => d.id), ...sampled];
    await waitFor(
      () => everyone.every((id) => messenger.deliveredAt.has(id)),
      Math.max(0, waitLeft),
    ).catch(() => undefined);
    // Lag after Intune reports done; for a backlog job, after its scheduled read if that is later.
    const lag = (id: string): number => {
      const at = messenger.deliveredAt.get(id);
      const from = Math.max(completedAt, scheduledAt.get(id) ?? completedAt);
      return at === undefined ? Number.POSITIVE_INFINITY : at - from;
    };
    const lagMs = fresh.map((d) => lag(d.id));
    const backlogLagMs = sampled.map(lag);
    return {
      pending,
      cycles: observed,
      windowSeconds: windowMs / 1000,
      topLevelPerCycle: counts.topLevel / observed,
      subRequestsPerCycle: counts.inBatch / observed,
      topLevelPer20s: (counts.topLevel / windowMs) * 20_000,
      subRequestsPer20s: (counts.inBatch / windowMs) * 20_000,
      devicesReadPerCycle: counts.inBatch / observed,
      cycleMs: windowMs / observed,
      lagMs,
      backlogLagMs,
      delivered: [...lagMs, ...backlogLagMs].filter(Number.isFinite).length,
      lagWaitMs,
    };
  } finally {
    await tracker.stop();
    await stores.documents.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function submittedJob(
  device: { id: string; deviceName: string },
  tenantId: string,
  submittedAt: string,
  nextCheckAt: Date,
): ResetJob {
  return {
    id: `bench-${device.id}`,
    tenantId,
    device: { id: device.id, name: device.deviceName },
    requester: {
      aadObjectId: 'be0c0000-0000-4000-8000-00000000beef',
      name: 'Bench Technician',
      locale: 'en-US',
    },
    origin: { key: 'c-bench', kind: 'personal' },
    state: 'submitted',
    createdAt: submittedAt,
    updatedAt: submittedAt,
    submittedAt,
    // No resetPasscode entry existed before ours: the first one Graph shows is this job's.
    previousActionStartDateTime: null,
    nextCheckAt: nextCheckAt.toISOString(),
    checks: 0,
    remindersSent: 0,
    notified: [],
  };
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Evenly spread, deterministic picks (so runs compare). */
function pickSample(ids: string[], count: number, of: number): string[] {
  const step = Math.max(1, Math.floor(of / count));
  return Array.from(
    { length: Math.min(count, ids.length) },
    (_, i) => ids[(i * step + Math.floor(step / 2)) % ids.length]!,
  );
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Worst lag of a sample against one poll interval plus 1 s; undelivered ones make it a lower bound. */
function lagCheck(label: string, lagsMs: number[], waitMs: number, intervalS: number): Check {
  const undelivered = lagsMs.filter((l) => !Number.isFinite(l)).length;
  const worstS = Math.min(Math.max(...lagsMs), waitMs) / 1000;
  return check(
    SECTION,
    `delivery lag after Intune reports done, ${label} (worst of ${lagsMs.length})`,
    worstS,
    '<=',
    intervalS + 1,
    's',
    undelivered === 0
      ? undefined
      : `at least this long: ${undelivered} of ${lagsMs.length} passcodes were not delivered within the ${Math.round(waitMs / 1000)} s the bench waits`,
  );
}

function lagList(lagsMs: number[], waitMs: number): string {
  return lagsMs
    .map((l) => (Number.isFinite(l) ? (l / 1000).toFixed(2) : `>${Math.round(waitMs / 1000)}`))
    .join(', ');
}

function buildResult(sizes: SizeFigures[], settings: BenchSettings): SectionResult {
  const checks: Check[] = [];
  const interval = settings.trackerIntervalSeconds;
  const rows: Array<Array<string | number>> = [];
  for (const size of sizes) {
    const label = `${size.pending.toLocaleString('en-US')} pending`;
    checks.push(
      check(
        SECTION,
        `Graph requests per poll cycle, ${label}`,
        size.topLevelPerCycle,
        '<=',
        Math.ceil(size.pending / 20),
        '',
      ),
      lagCheck(`a reset confirmed now, ${label}`, size.lagMs, size.lagWaitMs, interval),
      lagCheck(
        `a backlog reset, after its scheduled read, ${label}`,
        size.backlogLagMs,
        size.lagWaitMs,
        interval,
      ),
    );
    rows.push([
      label,
      size.cycles,
      size.cycleMs / 1000,
      size.topLevelPerCycle,
      size.subRequestsPerCycle,
      size.topLevelPer20s,
      size.subRequestsPer20s,
      (size.subRequestsPer20s / INTUNE_APP_BUDGET_PER_20S) * 100,
      lagList(size.lagMs, size.lagWaitMs),
      Number.isFinite(mean(size.lagMs)) ? mean(size.lagMs) / 1000 : NaN,
      lagList(size.backlogLagMs ?? [], size.lagWaitMs),
    ]);
  }
  const biggest = sizes.find((s) => s.pending === 5_000) ?? sizes[sizes.length - 1];
  if (biggest) {
    const label = `${biggest.pending.toLocaleString('en-US')} pending`;
    checks.push(
      check(
        SECTION,
        `share of Intune's per-app budget (2000 / 20 s), ${label}, counting $batch sub-requests as Intune does`,
        (biggest.subRequestsPer20s / INTUNE_APP_BUDGET_PER_20S) * 100,
        '<',
        10,
        '%',
      ),
      check(
        SECTION,
        `share of Intune's per-app budget (2000 / 20 s), ${label}, counting top-level HTTP requests`,
        (biggest.topLevelPer20s / INTUNE_APP_BUDGET_PER_20S) * 100,
        '<',
        10,
        '%',
      ),
    );
  }
  return {
    title: SECTION,
    checks,
    tables: [
      {
        title: `The real tracker (src/domain/tracking/tracker.ts, TRACKER_INTERVAL_SECONDS=${interval}) over SQLite and the emulator`,
        columns: [
          'Pending resets',
          'Cycles observed',
          'Cycle period s',
          'HTTP requests / cycle',
          '$batch sub-requests / cycle',
          'HTTP requests / 20 s',
          'Sub-requests / 20 s',
          '% of 2000 / 20 s (sub-requests)',
          'Lags s, new resets',
          'Mean lag s, new resets',
          'Lags s, backlog (after scheduled read)',
        ],
        rows,
      },
    ],
    notes: [
      `N pending resets are a backlog: jobs written to a fresh SQLite store in the shape the desk stores them, submitted two hours ago (devices that have not checked in), so on the 10-minute interval of trackingIntervalMs(), their next reads spread evenly over 10 minutes as the tracker's earlier reads leave them. Each device got a real resetPasscode POST on the emulator first, which keeps it pending until the bench completes it.`,
      `During the window ${LAG_SAMPLES} technicians confirm new resets (jobs submitted now; the tracker is woken as after a confirm) and their devices check in ${DEVICE_ANSWERS_AFTER_MS / 1000} s later: the lag of a new reset is from Intune's done (completeReset()) to the passcode reaching the messenger; its poll interval is TRACKER_INTERVAL_SECONDS = ${interval} s.`,
      `${LAG_SAMPLES} evenly spread backlog jobs are due a read 4-12 s into the window and their devices check in as it opens: their lag is counted from their scheduled read, so it shows whether the read budget keeps the schedule.`,
      "A burst of N brand-new resets is not measured: the desk cannot create one (RESETS_PER_TENANT_PER_MINUTE, at most 300, and Intune's 200 writes per 20 s per app). If it did, the read budget would read each about every N / 10 s (see BENCHMARKS findings).",
      'A cycle is counted when the tracker lists the index of jobs needing work (it does so once per cycle); requests are counted by the emulator.',
      `The tracker reads at most POLICY.trackerReadsPerWindow = ${POLICY.trackerReadsPerWindow} devices in any ${POLICY.trackerReadWindowMs / 1000} s window (src/domain/desk/deskSettings.ts): 10% of Intune's per-app budget; resets in their first 3 minutes first, then the most overdue, a quarter kept for the older ones (src/domain/tracking/readPriority.ts).`,
    ],
    data: { sizes },
  };
}
