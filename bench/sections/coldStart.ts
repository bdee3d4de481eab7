import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { check, type SectionResult } from '../report';
import { median, ratio } from '../stats';
import { startBot, type BotKind } from '../support/botTargets';
import { startTarget } from '../support/child';
import type { BenchSettings } from '../settings';

const SECTION = 'Cold start';

/** One GET on a fresh connection; resolves with the status, 0 when nothing listens yet. */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function timeToReady(
  kind: BotKind,
  settings: BenchSettings,
  emulatorUrl: string,
): Promise<number> {
  const bot = await startBot(kind, { distBench: settings.distBench, emulatorUrl, noWait: true });
  try {
    const deadline = bot.spawnedAt + 60_000;
    while (performance.now() < deadline) {
      if ((await probe(`${bot.url}/readyz`)) === 200) return performance.now() - bot.spawnedAt;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Number.NaN;
  } finally {
    await bot.dispose();
  }
}

export async function coldStart(settings: BenchSettings): Promise<SectionResult> {
  const emulator = await startTarget(join(settings.distBench, 'targets', 'emulatorTarget.js'));
  const times: Record<Exclude<BotKind, 'floor'>, number[]> = { echo: [], app: [] };
  try {
    for (let run = 0; run < settings.coldStartRuns; run++) {
      settings.progress(`cold start: run ${run + 1} of ${settings.coldStartRuns}`);
      // Alternate, so drift on the machine hits both alike.
      for (const kind of ['echo', 'app'] as const) {
        times[kind].push(await timeToReady(kind, settings, String(emulator.info.url)));
      }
    }
  } finally {
    await emulator.stop();
  }
  const echo = median(times.echo);
  const app = median(times.app);
  return {
    title: SECTION,
    checks: [
      check(
        SECTION,
        `time from spawn to /readyz 200 vs echo bot (median of ${settings.coldStartRuns})`,
        ratio(app, echo),
        '<=',
        2,
        '×',
      ),
    ],
    tables: [
      {
        title: 'Spawn → first 200 from GET /readyz (ms)',
        columns: ['Bot', 'Median', 'Runs'],
        rows: [
          ['echo bot', echo, times.echo.map((t) => t.toFixed(0)).join(', ')],
          ['app', app, times.app.map((t) => t.toFixed(0)).join(', ')],
        ],
      },
    ],
    notes: [
      "Each run forks `node` on the compiled entry (dist/bench/targets/*.js) and polls GET /readyz on a new connection every 5 ms. The app starts with an empty SQLite folder (migrations included) and its /readyz pings the emulated Graph and the store; the echo bot's /readyz answers at once.",
    ],
    data: { times },
  };
}
