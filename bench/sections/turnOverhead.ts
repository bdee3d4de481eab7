import { join } from 'node:path';
import { jsonClient, runClosedLoop, type ClosedLoopResult, type JsonClient } from '../load';
import { check, type Check, type SectionResult, type Table } from '../report';
import { ratio, summarize } from '../stats';
import { benchPhoneId, benchPhoneUpn } from '../support/benchPhones';
import { startBot, type BotKind, type BotProcess } from '../support/botTargets';
import { startTarget } from '../support/child';
import type { ConnectorStandIn } from '../support/connectorStandIn';
import { mapWithConcurrency } from '../../src/domain/shared/mapWithConcurrency';
import {
  cardActionInvoke,
  findExecuteAction,
  makeTechnician,
  messageActivity,
  type Technician,
} from '../support/teamsActivity';
import type { BenchSettings } from '../settings';

const SECTION = 'Turn overhead';
const SEARCH_TEXT = 'reset lumia';

export type TurnKind = 'search' | 'confirm';

export interface Cell {
  bot: BotKind;
  graphLatencyMs?: number;
  kind: TurnKind;
  concurrency: number;
  p50: number;
  p99: number;
  mean: number;
  count: number;
  throughputPerSec: number;
  errors: number;
  firstError?: string;
  /** Connector calls (replies, card updates, deliveries) per measured turn. */
  connectorCallsPerTurn: number;
}

/** A confirm ready to press: pick done, pending action issued, for this technician. */
interface PreparedConfirm {
  tech: Technician;
  data: unknown;
  replyToId?: string;
}

const BOT_LABELS: Record<BotKind, (graphLatencyMs?: number) => string> = {
  echo: () => 'echo bot',
  floor: () => 'search floor (Graph call + card)',
  app: (latency) => `app, Graph +${latency ?? 0} ms`,
};

const expectOk = (answer: { status: number; body: string }): void => {
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
};

export async function turnOverhead(
  settings: BenchSettings,
  standIn: ConnectorStandIn,
): Promise<SectionResult> {
  const phonesNeeded =
    settings.graphLatenciesMs.reduce(
      (total, latency) =>
        total +
        settings.concurrencies.reduce(
          (sum, c) => sum + c * settings.confirmsPerTechnician(c, latency),
          0,
        ),
      0,
    ) + 100;
  const emulator = await startTarget(join(settings.distBench, 'targets', 'emulatorTarget.js'), {
    env: {
      BENCH_EMULATOR: JSON.stringify({
        benchPhones: phonesNeeded,
        resetDelayMs: 1000,
        latencyMs: 0,
      }),
    },
  });
  const cells: Cell[] = [];
  const resets = { confirms: 0, accepted: 0 };
  const phones = { next: 1 };
  const tenantId = String(emulator.info.tenantId);
  let echo: BotProcess | undefined;
  let floor: BotProcess | undefined;
  try {
    echo = await startBot('echo', { distBench: settings.distBench });
    floor = await startBot('floor', {
      distBench: settings.distBench,
      emulatorUrl: String(emulator.info.url),
    });
    const floorClient = jsonClient(floor.url, 256);
    for (const [index, latency] of settings.graphLatenciesMs.entries()) {
      settings.progress(
        `turn overhead: app with ${latency} ms Graph latency${index === 0 ? ', interleaved with the echo bot' : ''}`,
      );
      await emulator.call('setLatency', latency);
      const app = await startBot('app', {
        distBench: settings.distBench,
        emulatorUrl: String(emulator.info.url),
      });
      const echoClient = jsonClient(echo.url, 256);
      const appClient = jsonClient(app.url, 256);
      try {
        for (const concurrency of settings.concurrencies) {
          // The floor is measured right next to the app's first run, so drift on a shared machine hits both.
          const withEcho = index === 0;
          const run = (
            bot: BotProcess,
            client: JsonClient,
            kind: TurnKind,
            graphLatencyMs?: number,
          ): Promise<Cell> =>
            kind === 'search'
              ? searchCell(bot, client, settings, standIn, tenantId, concurrency, graphLatencyMs)
              : confirmCell(
                  bot,
                  client,
                  settings,
                  standIn,
                  concurrency,
                  graphLatencyMs,
                  phones,
                  resets,
                );
          const row: Cell[] = [];
          if (withEcho) row.push(await run(echo, echoClient, 'search'));
          if (withEcho) row.push(await run(floor, floorClient, 'search'));
          row.push(await run(app, appClient, 'search', latency));
          if (withEcho) row.push(await run(echo, echoClient, 'confirm'));
          row.push(await run(app, appClient, 'confirm', latency));
          cells.push(...row);
          settings.progress(
            `  × ${concurrency}: ` +
              row
                .map(
                  (c) =>
                    `${c.bot} ${c.kind} p99 ${c.p99.toFixed(1)} ms ${c.throughputPerSec.toFixed(0)}/s`,
                )
                .join('; '),
          );
        }
        // The tracker submits after the answer: give the last confirms a moment to reach Graph.
        const phoneIds = Array.from({ length: phones.next - 1 }, (_, i) => benchPhoneId(i + 1));
        const deadline = Date.now() + 15_000;
        do {
          resets.accepted = await emulator.call<number>('resetCalls', phoneIds);
          if (resets.accepted >= resets.confirms) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        } while (Date.now() < deadline);
      } finally {
        echoClient.close();
        appClient.close();
        await app.dispose();
      }
    }
    floorClient.close();
  } finally {
    await echo?.dispose();
    await floor?.dispose();
    await emulator.stop();
  }
  return buildResult(cells, resets, settings);
}

/** (a) a search turn, exactly as Teams sends "reset lumia". */
async function searchCell(
  bot: BotProcess,
  client: JsonClient,
  settings: BenchSettings,
  standIn: ConnectorStandIn,
  tenantId: string,
  concurrency: number,
  graphLatencyMs: number | undefined,
): Promise<Cell> {
  const tag = `${bot.kind}${graphLatencyMs ?? ''}-c${concurrency}`;
  const techs = Array.from({ length: concurrency }, (_, i) => makeTechnician(i, tenantId, tag));
  const before = standIn.received();
  const result = await runClosedLoop({
    concurrency,
    durationMs: settings.turnSeconds * 1000,
    maxRequests: settings.turnMaxRequests,
    warmupPerWorker: settings.quick ? 1 : 3,
    send: async (worker) => {
      expectOk(
        await client.post(
          '/api/messages',
          messageActivity(techs[worker]!, standIn.url, SEARCH_TEXT),
        ),
      );
    },
  });
  return toCell(bot, graphLatencyMs, 'search', result, standIn.received() - before);
}

/** (b) a confirm invoke; each press needs its own fresh pending action (search → pick first, untimed). */
async function confirmCell(
  bot: BotProcess,
  client: JsonClient,
  settings: BenchSettings,
  standIn: ConnectorStandIn,
  concurrency: number,
  graphLatencyMs: number | undefined,
  phones: { next: number },
  resets: { confirms: number },
): Promise<Cell> {
  const perTech = settings.confirmsPerTechnician(concurrency, graphLatencyMs ?? 0);
  // A tenant per cell keeps RESETS_PER_TENANT_PER_MINUTE (at most 300) from refusing the later cells.
  const cellNumber = concurrency * 1000 + (graphLatencyMs ?? 999);
  const tenant = `be0c7e00-0000-4000-8000-${cellNumber.toString(16).padStart(12, '0')}`;
  const techs = Array.from({ length: concurrency }, (_, i) =>
    makeTechnician(i, tenant, `${bot.kind}-k${cellNumber}`),
  );
  const queues: PreparedConfirm[][] =
    bot.kind === 'echo'
      ? techs.map((tech) =>
          Array.from({ length: perTech }, () => ({ tech, data: { pendingActionId: 'echo' } })),
        )
      : await prepareConfirms(client, standIn, techs, perTech, phones);
  const prepared = queues.reduce((sum, q) => sum + q.length, 0);
  const before = standIn.received();
  const result = await runClosedLoop({
    concurrency,
    durationMs: 120_000,
    maxRequests: prepared,
    hasWork: (worker) => (queues[worker]?.length ?? 0) > 0,
    send: async (worker) => {
      const next = queues[worker]!.shift()!;
      expectOk(
        await client.post(
          '/api/messages',
          cardActionInvoke(next.tech, standIn.url, 'confirm', next.data, next.replyToId),
        ),
      );
    },
  });
  const cell = toCell(bot, graphLatencyMs, 'confirm', result, standIn.received() - before);
  if (bot.kind === 'app') {
    resets.confirms += result.latenciesMs.length;
    // Let the tracker finish these resets (submit, deliver, update cards) before the next cell is timed.
    await quiet(standIn, settings.settleQuietMs, settings.settleMaxMs);
  }
  return cell;
}

/** Waits until the connector stand-in has heard nothing for `quietMs` (at most `maxMs`). */
async function quiet(standIn: ConnectorStandIn, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = standIn.received();
  let lastChange = Date.now();
  while (Date.now() < deadline && Date.now() - lastChange < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (standIn.received() !== last) {
      last = standIn.received();
      lastChange = Date.now();
    }
  }
}

/** For each technician, `perTech` confirm cards: search a bench phone by its UPN, press Pick, keep the Confirm action. */
async function prepareConfirms(
  client: JsonClient,
  standIn: ConnectorStandIn,
  techs: Technician[],
  perTech: number,
  phones: { next: number },
): Promise<PreparedConfirm[][]> {
  const jobs = techs.flatMap((tech, worker) =>
    Array.from({ length: perTech }, () => ({ tech, worker, phone: phones.next++ })),
  );
  const queues: PreparedConfirm[][] = techs.map(() => []);
  // One technician's conversation at a time: the card read from the stand-in must be the reply to this search.
  const byTech = techs.map((_, worker) => jobs.filter((j) => j.worker === worker));
  await mapWithConcurrency(byTech, 25, async (list) => {
    for (const job of list) {
      const { tech } = job;
      expectOk(
        await client.post(
          '/api/messages',
          messageActivity(tech, standIn.url, `reset ${benchPhoneUpn(job.phone)}`),
        ),
      );
      const card = standIn.recent(tech.conversationId).at(-1);
      const pick = findExecuteAction(card, 'pick');
      if (!pick) throw new Error(`no Pick button for ${benchPhoneUpn(job.phone)}`);
      const picked = await client.post(
        '/api/messages',
        cardActionInvoke(tech, standIn.url, 'pick', pick.data, card?.id),
      );
      expectOk(picked);
      const confirm = findExecuteAction(JSON.parse(picked.body) as unknown, 'confirm');
      if (!confirm) throw new Error(`no Confirm button after Pick: ${picked.body.slice(0, 200)}`);
      queues[job.worker]!.push({
        tech,
        data: confirm.data,
        ...(card?.id ? { replyToId: card.id } : {}),
      });
    }
  });
  return queues;
}

function toCell(
  bot: BotProcess,
  graphLatencyMs: number | undefined,
  kind: TurnKind,
  result: ClosedLoopResult,
  connectorCalls: number,
): Cell {
  const s = summarize(result.latenciesMs);
  return {
    bot: bot.kind,
    ...(graphLatencyMs === undefined ? {} : { graphLatencyMs }),
    kind,
    concurrency: result.concurrency,
    p50: s.p50,
    p99: s.p99,
    mean: s.mean,
    count: s.count,
    throughputPerSec: result.throughputPerSec,
    errors: result.errors,
    ...(result.firstError ? { firstError: result.firstError } : {}),
    connectorCallsPerTurn: s.count ? connectorCalls / s.count : Number.NaN,
  };
}

function buildResult(
  cells: Cell[],
  resets: { confirms: number; accepted: number },
  settings: BenchSettings,
): SectionResult {
  const checks: Check[] = [];
  const rows: Table['rows'] = [];
  for (const cell of cells) {
    const echo = cells.find(
      (c) => c.bot === 'echo' && c.kind === cell.kind && c.concurrency === cell.concurrency,
    );
    const p99Ratio = cell.bot !== 'echo' ? ratio(cell.p99, echo?.p99 ?? NaN) : NaN;
    const tputRatio =
      cell.bot !== 'echo' ? ratio(cell.throughputPerSec, echo?.throughputPerSec ?? NaN) : NaN;
    const floor = cells.find(
      (c) => c.bot === 'floor' && c.kind === cell.kind && c.concurrency === cell.concurrency,
    );
    const vsFloor =
      cell.bot === 'app' && cell.graphLatencyMs === 0 && floor
        ? `${ratio(cell.p99, floor.p99).toFixed(2)} / ${ratio(cell.throughputPerSec, floor.throughputPerSec).toFixed(2)}`
        : '';
    rows.push([
      BOT_LABELS[cell.bot](cell.graphLatencyMs),
      cell.kind === 'search' ? `search turn ("${SEARCH_TEXT}")` : 'confirm invoke',
      cell.concurrency,
      cell.count,
      cell.p50,
      cell.p99,
      cell.throughputPerSec,
      p99Ratio,
      tputRatio,
      vsFloor,
      cell.connectorCallsPerTurn,
      cell.errors ? `${cell.errors} (${cell.firstError ?? ''})` : 0,
    ]);
    if (cell.bot === 'app' && cell.graphLatencyMs === 0) {
      const label = `${cell.kind === 'search' ? 'search turn' : 'confirm invoke'}, ${cell.concurrency} concurrent`;
      checks.push(
        check(SECTION, `p99 vs echo bot, ${label}`, p99Ratio, '<=', 1.5, '×'),
        check(SECTION, `throughput vs echo bot, ${label}`, tputRatio, '>=', 0.6, '×'),
      );
    }
    if (cell.errors > 0) {
      checks.push(
        check(
          SECTION,
          `failed requests, ${cell.bot} ${cell.kind} × ${cell.concurrency}`,
          cell.errors,
          '==',
          0,
          '',
        ),
      );
    }
  }
  checks.push(
    check(
      SECTION,
      'confirms that became a resetPasscode on the emulator',
      resets.confirms ? resets.accepted / resets.confirms : NaN,
      '==',
      1,
      '',
      'each timed confirm must be a real new reset, not a refusal or a duplicate',
    ),
  );
  return {
    title: SECTION,
    checks,
    tables: [
      {
        title: 'Closed-loop load over HTTP on 127.0.0.1 (latencies in ms)',
        columns: [
          'Bot',
          'Turn',
          'Technicians',
          'Turns',
          'p50',
          'p99',
          'Turns/s',
          'p99 vs echo',
          'Throughput vs echo',
          'p99 / throughput vs search floor',
          'Connector calls / turn',
          'Errors',
        ],
        rows,
      },
    ],
    notes: [
      `Each technician is a closed loop (send, wait for the HTTP answer, send again); search cells run ${settings.turnSeconds} s after a warm-up; confirm cells press ${settings.concurrencies.map((c) => `${settings.confirmsPerTechnician(c, 0)}`).join('/')} prepared confirms per technician (at ${settings.concurrencies.join('/')} technicians).`,
      'Activities are shaped as Teams sends them (channelId msteams, from.aadObjectId, conversation.tenantId, clientInfo locale, serviceUrl = the connector stand-in); replies go to the stand-in over HTTP.',
      "Each confirm needs a fresh pending action, prepared untimed before its cell: the technician searches a bench Windows 10 Mobile phone by its owner's UPN and presses Pick. Confirm cells use a tenant id per cell so RESETS_PER_TENANT_PER_MINUTE (at most 300) does not refuse later cells; RESETS_PER_TECHNICIAN_PER_HOUR is raised to 1000.",
      "The search floor (bench/searchFloorBot.ts) is the echo bot's stack plus what a search turn cannot skip: the same one Graph request through the app's GraphIntune and the same 10-row results card from the app's views and templates. It has no authorization, store, audit or conversation record, so app ÷ floor is the cost of the app's own bookkeeping; the targets stay against the echo bot.",
      'The echo bot answers a confirm invoke with its invoke response (one sendActivity, no connector call); it answers a message with one reply through the connector.',
      `Resets accepted by the emulator / timed app confirms: ${resets.accepted} / ${resets.confirms}.`,
    ],
    data: { cells, resets },
  };
}
