import { cpus, freemem, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/paths';
import { checksTable, type BenchResults, type MachineInfo, type SectionResult } from './report';
import { writeAtomically, writeBenchmarksPage } from './page';
import { coldStart } from './sections/coldStart';
import { memory } from './sections/memory';
import { searchAtScale } from './sections/searchAtScale';
import { tracking } from './sections/tracking';
import { turnOverhead } from './sections/turnOverhead';
import { readSettings } from './settings';
import { startConnectorStandIn } from './support/connectorStandIn';

/**
 * `npm run bench`: every section in turn, then bench/results.json and
 * docs/BENCHMARKS.md. A section that fails is reported as skipped; the others still run.
 */
function machine(): MachineInfo {
  return {
    cpus: cpus().map((cpu) => ({ model: cpu.model.trim(), speedMHz: cpu.speed })),
    cpuCount: cpus().length,
    totalMemoryBytes: totalmem(),
    freeMemoryBytesAtStart: freemem(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: release(),
  };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const root = projectRoot();
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const info = machine();
  settings.progress(
    `${settings.quick ? 'quick' : 'full'} run on ${info.cpuCount} CPU(s), Node ${info.node}, memory soak ${settings.soakSeconds} s`,
  );

  const standIn = await startConnectorStandIn();
  const sections: SectionResult[] = [];
  const skipped: BenchResults['skipped'] = [];
  const plan: Array<[string, () => Promise<SectionResult>]> = [
    ['Cold start', () => coldStart(settings)],
    ['Search at scale', () => searchAtScale(settings)],
    ['Tracking', () => tracking(settings)],
    ['Turn overhead', () => turnOverhead(settings, standIn)],
    ['Memory', () => memory(settings, standIn)],
  ];
  try {
    for (const [name, run] of plan) {
      try {
        sections.push(await run());
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        settings.progress(`${name} failed: ${reason}`);
        skipped.push({ section: name, reason });
      }
    }
  } finally {
    await standIn.close();
  }

  // Sections in the order the issue lists them.
  const order = ['Turn overhead', 'Search at scale', 'Tracking', 'Memory', 'Cold start'];
  sections.sort((a, b) => order.indexOf(a.title) - order.indexOf(b.title));
  const results: BenchResults = {
    startedAt,
    durationSeconds: (performance.now() - t0) / 1000,
    mode: settings.quick ? 'quick' : 'full',
    soakSeconds: settings.soakSeconds,
    machine: info,
    sections,
    skipped,
  };
  writeAtomically(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarksPage(root, results);

  const checks = sections.flatMap((s) => s.checks);
  console.log(`\n${checksTable(checks)}\n`);
  settings.progress(
    `done in ${results.durationSeconds.toFixed(0)} s: ${checks.filter((c) => c.pass).length} of ${checks.length} targets met` +
      `${skipped.length ? `, ${skipped.length} section(s) skipped` : ''}; wrote bench/results.json and docs/BENCHMARKS.md`,
  );
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
