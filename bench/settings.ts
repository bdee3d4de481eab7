import { dirname } from 'node:path';

/**
 * How long and how hard each section runs. The full run must stay under 10 minutes
 * on 2 cores; BENCH_QUICK=1 is a ~1-minute smoke run with the same code paths.
 */
export interface BenchSettings {
  quick: boolean;
  /** Folder of the compiled bench (dist/bench), where the child targets are. */
  distBench: string;
  concurrencies: number[];
  /** Measured phase of one throughput cell (search turn / echo message). */
  turnSeconds: number;
  turnMaxRequests: number;
  /** Confirms per technician in one confirm cell, by concurrency and Graph latency. */
  confirmsPerTechnician: (concurrency: number, graphLatencyMs: number) => number;
  graphLatenciesMs: number[];
  searchTenantSizes: number[];
  searchRepetitions: number;
  searchWarmup: number;
  naiveRepetitions: number;
  trackingSizes: number[];
  /** Poll cycles observed per tracking size. */
  trackingCycles: number;
  trackerIntervalSeconds: number;
  /** How long to wait for the sampled deliveries of `pending` jobs before calling them late. */
  trackingLagWaitMs: (pending: number) => number;
  soakSeconds: number;
  /** Wait after a bot starts before its idle RSS is read. */
  idleSettleMs: number;
  /** After a confirm cell: how long the connector must be quiet (tracker done), and the most to wait. */
  settleQuietMs: number;
  settleMaxMs: number;
  soakConcurrency: number;
  rssSampleMs: number;
  coldStartRuns: number;
  progress: (line: string) => void;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const soak = Number(env.BENCH_SOAK_SECONDS);
  const started = Date.now();
  return {
    quick,
    distBench: dirname(__filename),
    concurrencies: [1, 10, 50],
    turnSeconds: quick ? 1 : 6,
    turnMaxRequests: quick ? 2_000 : 20_000,
    // The 100 ms run has no target of its own: fewer confirms keep its preparation short.
    confirmsPerTechnician: (c, latency) =>
      quick
        ? Math.max(2, Math.ceil(20 / c))
        : Math.max(latency > 0 ? 2 : 5, Math.ceil((latency > 0 ? 60 : 200) / c)),
    graphLatenciesMs: [0, 100],
    searchTenantSizes: [1_000, 10_000, 100_000],
    searchRepetitions: quick ? 10 : 100,
    searchWarmup: quick ? 3 : 20,
    naiveRepetitions: quick ? 1 : 3,
    trackingSizes: quick ? [10, 5_000] : [10, 100, 1_000, 5_000],
    trackingCycles: quick ? 2 : 5,
    trackerIntervalSeconds: quick ? 1 : 5,
    trackingLagWaitMs: () => (quick ? 16_000 : 20_000),
    soakSeconds: Number.isFinite(soak) && soak > 0 ? soak : quick ? 5 : 150,
    idleSettleMs: quick ? 500 : 2_000,
    settleQuietMs: quick ? 500 : 1_000,
    settleMaxMs: quick ? 5_000 : 15_000,
    soakConcurrency: 50,
    rssSampleMs: 250,
    coldStartRuns: quick ? 2 : 5,
    progress: (line) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
      console.log(`[bench ${seconds}s] ${line}`);
    },
  };
}
