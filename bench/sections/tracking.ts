import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import { createDesk } from '../../src/domain/createDesk';
import { POLICY } from '../../src/domain/deskSettings';
import type { ResetJob } from '../../src/domain/job';
import { mapWithConcurrency } from '../../src/domain/mapWithConcurrency';
import type { Messenger, SentMessage } from '../../src/domain/messenger';
import { syntheticDevices } from '../../src/emulator/synthetic';
import { createIntune } from '../../src/intune/createIntune';
import { silentLogger } from '../../src/logger';
import { JOBS_NEEDING_WORK_COLLECTION, JobRepository } from '../../src/domain/jobRepository';
import type { DocumentStore } from '../../src/store/ports';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import type { AuditEntry } from '../../src/domain/audit';
import { check, type Check, type SectionResult } from '../report';
import { mean } from '../stats';
import { startTarget, type TargetProcess } from '../support/child';
import type { RequestCounts } from '../targets/emulatorTarget';
import type { BenchSettings } from '../settings';

const SECTION = 'Tracking';
/** Intune's devices service allows one app 2000 requests per 20 s per tenant. */
const INTUNE_APP_BUDGET_PER_20S = 2000;
const LAG_SAMPLES = 5;

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
  lagMs: number[];
  delivered: number;
  lagWaitMs: number;
}

/** Records when each passcode reached the "1:1 chat"; everything else is a no-op. */
class TimingMessenger implements Messenger {
  readonly deliveredAt = new Map<string, number>();
  async deliverPasscode(job: ResetJob): Promise<SentMessage> {
    this.deliveredAt.set(job.device.id, performance.now());
    return { conversationKey: 'c-bench', messageId: `m-${job.id}` };
  }
  async hidePasscode(): Promise<void> {}
  async updateOriginCard(): Promise<void> {}
  async notify(): Promise<void> {}
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
      BENCH_EMULATOR: JSON.stringify({ syntheticDevices: largest, resetDelayMs: 86_400_000 }),
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
    const devices = syntheticDevices(pending, Date.now());
    // Graph first (so each device has a pending resetPasscode entry), then the jobs as the desk stores them.
    await mapWithConcurrency(devices, 16, async (device) => {
      await intune.resetPasscode(device.id);
    });
    const now = new Date().toISOString();
    const tenantId = String(emulator.info.tenantId);
    // Stored as the desk stores them (the repository also indexes them for the tracker).
    const jobs = new JobRepository(stores.documents);
    await mapWithConcurrency(devices, 16, async (device) => {
      await jobs.create(submittedJob(device, tenantId, now));
    });

    // Steady state: let one cycle pass, then count a window of whole cycles. Intune marks a few
    // evenly spread resets done as the window opens; the lag is the time until each passcode is handed over.
    tracker.start();
    await waitFor(() => cycles >= 1, 30_000);
    await emulator.call('takeRequestCounts');
    const sample = pickSample(
      devices.map((d) => d.id),
      LAG_SAMPLES,
      pending,
    );
    await emulator.call('completeResets', sample);
    const completedAt = performance.now();
    const startCycles = cycles;
    const t0 = performance.now();
    await waitFor(() => cycles >= startCycles + settings.trackingCycles, 120_000);
    const windowMs = performance.now() - t0;
    const counts = await emulator.call<RequestCounts>('takeRequestCounts');
    const observed = cycles - startCycles;

    const lagWaitMs = settings.trackingLagWaitMs(pending);
    const waitLeft = lagWaitMs - (performance.now() - completedAt);
    await waitFor(
      () => sample.every((id) => messenger.deliveredAt.has(id)),
      Math.max(0, waitLeft),
    ).catch(() => undefined);
    const lagMs = sample.map((id) => {
      const at = messenger.deliveredAt.get(id);
      return at === undefined ? Number.POSITIVE_INFINITY : at - completedAt;
    });
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
      delivered: lagMs.filter(Number.isFinite).length,
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
  now: string,
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
    createdAt: now,
    updatedAt: now,
    submittedAt: now,
    // No resetPasscode entry existed before ours: the first one Graph shows is this job's.
    previousActionStartDateTime: null,
    nextCheckAt: now,
    checks: 0,
    remindersSent: 0,
    notified: [],
  };
}

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

function buildResult(sizes: SizeFigures[], settings: BenchSettings): SectionResult {
  const checks: Check[] = [];
  const interval = settings.trackerIntervalSeconds;
  const rows: Array<Array<string | number>> = [];
  for (const size of sizes) {
    const label = `${size.pending.toLocaleString('en-US')} pending`;
    // Not delivered within the wait: the figure is a lower bound (the wait itself).
    const worstLagS = Math.min(Math.max(...size.lagMs), size.lagWaitMs) / 1000;
    checks.push(
      check(
        SECTION,
        `Graph requests per poll cycle, ${label}`,
        size.topLevelPerCycle,
        '<=',
        Math.ceil(size.pending / 20),
        '',
      ),
      check(
        SECTION,
        `delivery lag after Intune reports done, ${label} (worst of ${size.lagMs.length})`,
        worstLagS,
        '<=',
        interval + 1,
        's',
        size.delivered === size.lagMs.length
          ? undefined
          : `at least this long: ${size.lagMs.length - size.delivered} of ${size.lagMs.length} passcodes were not delivered within the ${Math.round(size.lagWaitMs / 1000)} s the bench waits`,
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
      size.lagMs
        .map((l) =>
          Number.isFinite(l) ? (l / 1000).toFixed(2) : '>' + Math.round(size.lagWaitMs / 1000),
        )
        .join(', '),
      Number.isFinite(mean(size.lagMs)) ? mean(size.lagMs) / 1000 : NaN,
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
        title: `The real tracker (src/domain/tracker.ts, TRACKER_INTERVAL_SECONDS=${interval}) over SQLite and the emulator`,
        columns: [
          'Pending resets',
          'Cycles observed',
          'Cycle period s',
          'HTTP requests / cycle',
          '$batch sub-requests / cycle',
          'HTTP requests / 20 s',
          'Sub-requests / 20 s',
          '% of 2000 / 20 s (sub-requests)',
          'Delivery lags s',
          'Mean lag s',
        ],
        rows,
      },
    ],
    notes: [
      `Jobs are written to a fresh SQLite store in the shape the desk stores them (state submitted, just created, so every job is on the quick ${interval} s interval: the worst case for polling); each device got a real resetPasscode POST on the emulator first, which keeps it pending until the bench completes it.`,
      'A cycle is counted when the tracker lists the index of jobs needing work (it does so once per cycle); requests are counted by the emulator.',
      `Delivery lag: ${LAG_SAMPLES} evenly spread devices are completed with the emulator's completeReset(); the lag is the time until the tracker hands each passcode to the messenger.`,
      `The tracker reads at most POLICY.trackerReadsPerWindow = ${POLICY.trackerReadsPerWindow} devices in any ${POLICY.trackerReadWindowMs / 1000} s window, most overdue first (src/domain/deskSettings.ts): 10% of Intune's per-app budget.`,
    ],
    data: { sizes },
  };
}
