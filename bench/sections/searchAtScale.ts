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
  const sizes: SizeFigures[] = [];
  const meter = installFetchMeter();
  try {
    for (const devices of settings.searchTenantSizes) {
      settings.progress(`search at scale: ${devices.toLocaleString('en-US')} devices`);
      const emulator = await startTarget(join(settings.distBench, 'targets', 'emulatorTarget.js'), {
        env: { BENCH_EMULATOR: JSON.stringify({ syntheticDevices: devices, latencyMs: 0 }) },
      });
      try {
        sizes.push(await measureSize(devices, emulator, meter, settings));
      } finally {
        await emulator.stop();
      }
    }
  } finally {
    meter.uninstall();
  }
  return buildResult(sizes);
}

async function measureSize(
  devices: number,
  emulator: TargetProcess,
  meter: FetchMeter,
  settings: BenchSettings,
): Promise<SizeFigures> {
  const url = String(emulator.info.url);
  const config = loadConfig({ GRAPH_BASE_URL: url, LOG_LEVEL: 'silent' });
  // Retries off: a figure must be one search's real traffic, never a retry's.
  const intune = createIntune(config, silentLogger, undefined, { maxRetries: 0 });
  const queries: QueryFigures[] = [];
  for (const query of QUERIES) {
    for (let i = 0; i < settings.searchWarmup; i++) await intune.searchDevices(query.text, 10);
    await emulator.call('takeRequestCounts');
    meter.reset();
    const latencies: number[] = [];
    let found = 0;
    const graphCpu0 = (await emulator.usage()).cpu;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < settings.searchRepetitions; i++) {
      const t0 = performance.now();
      const answer = await intune.searchDevices(query.text, 10);
      latencies.push(performance.now() - t0);
      found = answer.devices.length;
    }
    const cpu = process.cpuUsage(cpu0);
    const graphCpu = (await emulator.usage()).cpu;
    const counts = await emulator.call<RequestCounts>('takeRequestCounts');
    const n = settings.searchRepetitions;
    queries.push({
      kind: query.kind,
      roundTrips: meter.calls / n,
      emulatorTopLevel: counts.topLevel / n,
      emulatorSubRequests: counts.inBatch / n,
      bytes: meter.bytes / n,
      latencyMs: median(latencies),
      botCpuMs: (cpu.user + cpu.system) / 1000 / n,
      graphCpuMs: (graphCpu.user - graphCpu0.user + graphCpu.system - graphCpu0.system) / 1000 / n,
      found,
    });
  }
  const naive = await naiveScan(url, 'lumia', meter, devices >= 100_000 ? 1 : settings.naiveRepetitions);
  return { devices, queries, naive };
}

/** For contrast: read every managed device page by page and filter on the client. */
async function naiveScan(
  url: string,
  text: string,
  meter: FetchMeter,
  repetitions: number,
): Promise<SizeFigures['naive']> {
  const config = loadConfig({ GRAPH_BASE_URL: url, LOG_LEVEL: 'silent' });
  const http = new GraphHttp({ baseUrl: url, tokenSource: createTokenSource(config), maxRetries: 0 });
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
    checks.push(check(SECTION, `Graph round trips per search, ${label} (worst query)`, worstTrips, '<=', 1, ''));
    if (size !== base) {
      checks.push(
        check(SECTION, `bytes received per search vs 1,000 devices, ${label} (worst query)`, worstBytes, '<=', 1.2, '×'),
        check(SECTION, `bot CPU per search vs 1,000 devices, ${label} (worst query)`, worstCpu, '<=', 1.2, '×'),
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
