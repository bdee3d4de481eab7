import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import type { Device } from '../../src/domain/device';
import { createIntune } from '../../src/intune/createIntune';
import { createTokenSource } from '../../src/intune/credentials';
import { DEVICE_SELECT, toDevice } from '../../src/intune/deviceMapping';
import { GraphHttp } from '../../src/intune/graphClient';
import { matchesClause, readQuery } from '../../src/intune/queryReader';
import { silentLogger } from '../../src/logger';
import { check, type Check, type SectionResult } from '../report';
import { median, ratio } from '../stats';
import { startTarget, type TargetProcess } from '../support/child';
import { installFetchMeter, type FetchMeter } from '../support/fetchMeter';
import type { RequestCounts } from '../targets/emulatorTarget';
import type { BenchSettings } from '../settings';

const SECTION = 'Search at scale';

/** What technicians type: a name fragment, a UPN (indexed eq), a serial number (eq + contains in one $batch). */
const QUERIES = [
  { kind: 'name fragment', text: 'lumia' },
  { kind: 'UPN', text: 'syn.user000500@contoso.onmicrosoft.com' },
  { kind: 'serial number', text: 'SYN000000500' },
] as const;

interface QueryFigures {
  kind: string;
  roundTrips: number;
  emulatorTopLevel: number;
  emulatorSubRequests: number;
  bytes: number;
  latencyMs: number;
  botCpuMs: number;
  graphCpuMs: number;
  found: number;
}

interface SizeFigures {
  devices: number;
  queries: QueryFigures[];
  naive: { roundTrips: number; bytes: number; latencyMs: number; found: number };
}

export async function searchAtScale(settings: BenchSettings): Promise<SectionResult> {
  const meter = installFetchMeter();
  const emulators: Array<{ devices: number; emulator: TargetProcess }> = [];
  try {
    settings.progress(
      `search at scale: tenants of ${settings.searchTenantSizes.map((n) => n.toLocaleString('en-US')).join(', ')} devices`,
    );
    for (const devices of settings.searchTenantSizes) {
      const emulator = await startTarget(join(settings.distBench, 'targets', 'emulatorTarget.js'), {
        env: { BENCH_EMULATOR: JSON.stringify({ syntheticDevices: devices, latencyMs: 0 }) },
      });
      emulators.push({ devices, emulator });
    }
    const perSize = await measureInterleaved(emulators, meter, settings);
    const sizes: SizeFigures[] = [];
    for (const { devices, emulator } of emulators) {
      const naive = await naiveScan(
        String(emulator.info.url),
        'lumia',
        meter,
        devices >= 100_000 ? 1 : settings.naiveRepetitions,
      );
      sizes.push({ devices, queries: perSize.get(devices) ?? [], naive });
    }
    return buildResult(sizes);
  } finally {
    meter.uninstall();
    await Promise.all(emulators.map(({ emulator }) => emulator.stop()));
  }
}

/**
 * Searches take turns across the tenant sizes (1k, 10k, 100k, 1k, ...), so whatever else the
 * machine is doing affects every size alike; CPU time and traffic are read around each call.
 */
async function measureInterleaved(
  emulators: Array<{ devices: number; emulator: TargetProcess }>,
  meter: FetchMeter,
  settings: BenchSettings,
): Promise<Map<number, QueryFigures[]>> {
  // Retries off: a figure must be one search's real traffic, never a retry's.
  const clients = emulators.map(({ emulator }) =>
    createIntune(loadConfig({ GRAPH_BASE_URL: String(emulator.info.url), LOG_LEVEL: 'silent' }), silentLogger, undefined, {
      maxRetries: 0,
    }),
  );
  const out = new Map<number, QueryFigures[]>(emulators.map(({ devices }) => [devices, []]));
  const n = settings.searchRepetitions;
  for (const query of QUERIES) {
    for (const client of clients) {
      for (let i = 0; i < settings.searchWarmup; i++) await client.searchDevices(query.text, 10);
    }
    const acc = emulators.map(() => ({ latencies: [] as number[], cpuUs: 0, calls: 0, bytes: 0, found: 0 }));
    const graphCpu0 = await Promise.all(emulators.map(({ emulator }) => emulator.usage()));
    await Promise.all(emulators.map(({ emulator }) => emulator.call('takeRequestCounts')));
    for (let rep = 0; rep < n; rep++) {
      for (let k = 0; k < emulators.length; k++) {
        const i = (rep + k) % emulators.length;
        const a = acc[i]!;
        const calls0 = meter.calls;
        const bytes0 = meter.bytes;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const answer = await clients[i]!.searchDevices(query.text, 10);
        a.latencies.push(performance.now() - t0);
        const cpu = process.cpuUsage(cpu0);
        a.cpuUs += cpu.user + cpu.system;
        a.calls += meter.calls - calls0;
        a.bytes += meter.bytes - bytes0;
        a.found = answer.devices.length;
      }
    }
    for (const [i, { devices, emulator }] of emulators.entries()) {
      const a = acc[i]!;
      const counts = await emulator.call<RequestCounts>('takeRequestCounts');
      const graphCpu = (await emulator.usage()).cpu;
      const before = graphCpu0[i]!.cpu;
      out.get(devices)!.push({
        kind: query.kind,
        roundTrips: a.calls / n,
        emulatorTopLevel: counts.topLevel / n,
        emulatorSubRequests: counts.inBatch / n,
        bytes: a.bytes / n,
        latencyMs: median(a.latencies),
        botCpuMs: a.cpuUs / 1000 / n,
        graphCpuMs: (graphCpu.user - before.user + graphCpu.system - before.system) / 1000 / n,
        found: a.found,
      });
    }
  }
  return out;
}

/** For contrast: read every managed device page by page and filter on the client. */
async function naiveScan(
  url: string,
  text: string,
  meter: FetchMeter,
  repetitions: number,
): Promise<SizeFigures['naive']> {
  const config = loadConfig({ GRAPH_BASE_URL: url, LOG_LEVEL: 'silent' });
  const http = new GraphHttp({
    baseUrl: url,
    tokenSource: createTokenSource(config),
    maxRetries: 0,
  });
  const clause = readQuery(text).clauses[0]!;
  const latencies: number[] = [];
  let found = 0;
  meter.reset();
  for (let r = 0; r < repetitions; r++) {
    const t0 = performance.now();
    const matches: Device[] = [];
    let page = await http.get<Record<string, unknown>>(
      'beta',
      `/deviceManagement/managedDevices?$select=${DEVICE_SELECT.join(',')}&$top=1000`,
    );
    for (;;) {
      for (const item of (page.value as unknown[]) ?? []) {
        const device = toDevice(item);
        if (device && matchesClause(device, clause)) matches.push(device);
      }
      const next = page['@odata.nextLink'];
      if (typeof next !== 'string') break;
      page = await http.getAbsolute<Record<string, unknown>>(next);
    }
    latencies.push(performance.now() - t0);
    found = matches.length;
  }
  return {
    roundTrips: meter.calls / repetitions,
    bytes: meter.bytes / repetitions,
    latencyMs: median(latencies),
    found,
  };
}

function buildResult(sizes: SizeFigures[]): SectionResult {
  const base = sizes[0];
  const checks: Check[] = [];
  const rows: Array<Array<string | number>> = [];
  for (const size of sizes) {
    const label = `${size.devices.toLocaleString('en-US')} devices`;
    let worstTrips = 0;
    let worstBytes = 0;
    let worstLatency = 0;
    let worstCpu = 0;
    for (const q of size.queries) {
      const ref = base?.queries.find((b) => b.kind === q.kind);
      const latencyRatio = ratio(q.latencyMs, ref?.latencyMs ?? NaN);
      const bytesRatio = ratio(q.bytes, ref?.bytes ?? NaN);
      const cpuRatio = ratio(q.botCpuMs, ref?.botCpuMs ?? NaN);
      worstTrips = Math.max(worstTrips, q.roundTrips);
      worstBytes = Math.max(worstBytes, bytesRatio);
      worstLatency = Math.max(worstLatency, latencyRatio);
      worstCpu = Math.max(worstCpu, cpuRatio);
      rows.push([
        label,
        q.kind,
        q.found,
        q.roundTrips,
        q.emulatorSubRequests,
        Math.round(q.bytes),
        bytesRatio,
        q.latencyMs,
        latencyRatio,
        q.botCpuMs,
        cpuRatio,
        q.graphCpuMs,
      ]);
    }
    rows.push([
      label,
      'naive full-list scan (name fragment)',
      size.naive.found,
      size.naive.roundTrips,
      0,
      Math.round(size.naive.bytes),
      ratio(size.naive.bytes, base?.queries[0]?.bytes ?? NaN),
      size.naive.latencyMs,
      ratio(size.naive.latencyMs, base?.queries[0]?.latencyMs ?? NaN),
      NaN,
      NaN,
      NaN,
    ]);
    checks.push(
      check(
        SECTION,
        `Graph round trips per search, ${label} (worst query)`,
        worstTrips,
        '<=',
        1,
        '',
      ),
    );
    if (size !== base) {
      checks.push(
        check(
          SECTION,
          `bytes received per search vs 1,000 devices, ${label} (worst query)`,
          worstBytes,
          '<=',
          1.2,
          '×',
        ),
        check(
          SECTION,
          `bot CPU per search vs 1,000 devices, ${label} (worst query)`,
          worstCpu,
          '<=',
          1.2,
          '×',
        ),
        check(
          SECTION,
          `search latency vs 1,000 devices, ${label} (worst query)`,
          worstLatency,
          '<=',
          1.2,
          '×',
          worstLatency > 1.2
            ? 'wall time includes the emulated Graph filtering the whole tenant (its CPU per search is in the table); the bot side (round trips, bytes, CPU) is flat'
            : undefined,
        ),
      );
    }
  }
  return {
    title: SECTION,
    checks,
    tables: [
      {
        title: 'Per search (medians for latency; averages for counts, bytes and CPU)',
        columns: [
          'Tenant',
          'Query',
          'Devices found',
          'Round trips',
          '$batch sub-requests',
          'Bytes received',
          'Bytes vs 1k',
          'Latency ms',
          'Latency vs 1k',
          'Bot CPU ms',
          'Bot CPU vs 1k',
          'Emulated Graph CPU ms',
        ],
        rows,
      },
    ],
    notes: [
      'Searches go through the real GraphIntune (src/intune) against the emulator running in its own process; round trips and bytes are counted on the global fetch the Graph client uses, and cross-checked with the emulator request log.',
      'The naive scan pages through every managed device ($top=1000, following @odata.nextLink) and filters on the client.',
    ],
    data: { sizes },
  };
}
