import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/ports';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { t } from '../../src/i18n';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { personalChat, TeamsActivities, teamsUser } from '../support/teamsActivities';
import { cardOf, executeActions } from '../support/teamsHarness';
import { BotProcess } from './support/botProcess';
import { waitUntil } from '../support/waitUntil';

/**
 * The bot as a separate process (node dist/src/index.js), killed with SIGKILL in the middle
 * of a reset and started again on the same DATA_DIR: the reset is neither repeated nor lost,
 * and the passcode is delivered once and written nowhere.
 */
const DEVICE = DEMO_TENANT.devices.irvinIdol4S;
const DEVICE_QUERY = 'Irvin IDOL 4S';
const technician = teamsUser(DEMO_TENANT.users.meganBowen, 'Megan Bowen');
const chat = personalChat(technician);

describe('process: crash and resume (node dist/src/index.js, SIGKILL)', function () {
  this.timeout(150_000);
  let emulator: EmulatorHandle;
  let connector: ConnectorStandIn;
  let dataDir: string;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    // Resets stay pending until the test completes them.
    emulator = await startEmulator({ resetDelayMs: 60 * 60 * 1000 });
    connector = await ConnectorStandIn.start();
    dataDir = mkdtempSync(join(tmpdir(), 'passcode-desk-process-'));
  });

  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.kill('SIGKILL');
    await connector.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startBot(extra: Record<string, string> = {}): Promise<BotProcess> {
    const bot = BotProcess.spawn({
      PORT: String(await freePort()),
      GRAPH_BASE_URL: emulator.url,
      AZURE_TENANT_ID: emulator.tenantId,
      HELPDESK_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians,
      DATA_DIR: dataDir,
      TRACKER_INTERVAL_SECONDS: '1',
      // The most talkative level: the passcode must not show up even there.
      LOG_LEVEL: 'trace',
      ...extra,
    });
    bots.push(bot);
    return bot;
  }

  async function post(
    bot: BotProcess,
    activity: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Search → Pick → Confirm over HTTP, as Teams would send it; resolves once Confirm is answered. */
  async function requestReset(bot: BotProcess): Promise<void> {
    const activities = new TeamsActivities(connector.url, emulator.tenantId);
    const sentBefore = connector.sentTo(chat.conversationId).length;
    const searched = await post(bot, activities.message(technician, chat, `reset ${DEVICE_QUERY}`));
    assert.ok(searched.status < 300, `search answered ${searched.status}`);
    await connector.waitFor(
      () => connector.sentTo(chat.conversationId).length > sentBefore,
      30_000,
      'the results card',
    );
    // The stand-in numbers the messages it accepts m-1, m-2, …: the results card is the latest.
    const resultsMessageId = `m-${connector.requests.filter((r) => r.kind === 'send' || r.kind === 'reply').length}`;
    const pick = executeActions(cardOf(connector.sentTo(chat.conversationId).at(-1))).find(
      (a) => a.title === t('en', 'results.pick'),
    );
    assert.ok(pick, 'the results card has a Pick button');

    const picked = await post(
      bot,
      activities.invoke(technician, chat, pick.verb, pick.data, resultsMessageId),
    );
    const confirmCard = (picked.body as { value?: unknown }).value;
    const confirm = executeActions(confirmCard).find((a) => a.title === t('en', 'confirm.confirm'));
    assert.ok(confirm, `the confirm card has a Confirm button: ${JSON.stringify(picked.body)}`);

    const confirmed = await post(
      bot,
      activities.invoke(technician, chat, confirm.verb, confirm.data, resultsMessageId),
    );
    assert.equal(confirmed.status, 200);
    assert.equal((confirmed.body as { statusCode?: number }).statusCode, 200);
  }

  const until = (condition: () => boolean, what: string, timeoutMs = 60_000) =>
    waitUntil(condition, what, timeoutMs);

  async function passcodeFromGraph(): Promise<string> {
    const response = await fetch(`${emulator.url}/v1.0/deviceManagement/managedDevices/${DEVICE}`, {
      headers: { Authorization: 'Bearer process-test' },
    });
    const device = (await response.json()) as {
      deviceActionResults?: Array<{
        actionName: string;
        actionState: string;
        passcode?: string | null;
      }>;
    };
    const result = device.deviceActionResults?.find((r) => r.actionName === 'resetPasscode');
    assert.equal(result?.actionState, 'done');
    assert.ok(result?.passcode);
    return result.passcode;
  }

  /** Every connector request that carried the passcode (its deliveries). */
  const deliveriesOf = (passcode: string) =>
    connector.requests.filter((r) => r.raw.includes(passcode));

  function assertNowhereOnDisk(passcode: string): void {
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    );
    assert.ok(
      files.some((f) => f.name.endsWith('.sqlite')),
      `the bot stored its state in SQLite under DATA_DIR (${files.map((f) => f.name).join(', ')})`,
    );
    for (const file of files) {
      const bytes = readFileSync(join(file.parentPath, file.name));
      assert.equal(
        bytes.includes(Buffer.from(passcode, 'utf8')),
        false,
        `the passcode is in ${file.name}`,
      );
    }
  }

  it('answers GET /healthz with 200 once it listens', async () => {
    const bot = await startBot();
    assert.equal(await bot.ready(), 200);
    const response = await fetch(`${bot.url}/healthz`);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('exits non-zero with one clear line on stderr for a malformed setting', async () => {
    const bot = await startBot({ PORT: 'abc' });
    const { code } = await bot.exit();
    assert.notEqual(code, 0);
    const lines = bot.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line expected, got:\n${bot.stderr}`);
    assert.match(lines[0]!, /^Setting PORT is invalid \("abc"\): expected .*PORT=3978$/);
    assert.equal(bot.stdout, '');
  });

  it('SIGKILL after the reset was submitted: the restarted bot neither resubmits nor loses it, and delivers once', async () => {
    const first = await startBot();
    await first.ready();
    await requestReset(first);
    await until(() => emulator.resetCalls(DEVICE) === 1, 'resetPasscode to reach Intune');
    const killed = await first.kill('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');

    const second = await startBot();
    await second.ready();
    emulator.completeReset(DEVICE);
    const passcode = await passcodeFromGraph();
    await connector.waitFor(
      () => deliveriesOf(passcode).length > 0,
      60_000,
      'the passcode delivery',
    );
    // A duplicate (a second tracker pass, a replayed delivery) would have happened by the
    // end of the next two cycles, which read the job as the delivery stored it.
    await second.trackerCycles(2);

    assert.equal(emulator.resetCalls(DEVICE), 1, 'exactly one resetPasscode on Intune');
    const deliveries = deliveriesOf(passcode);
    assert.equal(deliveries.length, 1, 'exactly one passcode delivery');
    assert.equal(
      deliveries[0]!.kind,
      'update',
      'put into a message posted (and stored) without it, never in a post',
    );

    // SIGTERM on SQLite: the tracker stops cleanly and the process exits 0.
    assert.deepEqual(await second.kill('SIGTERM'), { code: 0, signal: null });
    assertNowhereOnDisk(passcode);
    for (const bot of [first, second]) {
      assert.ok(bot.stdout.length > 0, 'the bot logged something');
      assert.equal(bot.stdout.includes(passcode), false, 'the passcode is in stdout');
      assert.equal(bot.stderr.includes(passcode), false, 'the passcode is in stderr');
    }
  });

  it('SIGKILL right after Confirm is answered (submitted or not yet): still exactly one reset and one delivery', async () => {
    const first = await startBot();
    await first.ready();
    await requestReset(first);
    await first.kill('SIGKILL');

    const second = await startBot();
    await second.ready();
    await until(() => emulator.resetCalls(DEVICE) >= 1, 'resetPasscode after the restart');
    emulator.completeReset(DEVICE);
    const passcode = await passcodeFromGraph();
    await connector.waitFor(
      () => deliveriesOf(passcode).length > 0,
      60_000,
      'the passcode delivery',
    );
    await second.trackerCycles(2);

    assert.equal(emulator.resetCalls(DEVICE), 1, 'exactly one resetPasscode on Intune');
    assert.equal(deliveriesOf(passcode).length, 1, 'exactly one passcode delivery');
    assert.deepEqual(await second.kill('SIGTERM'), { code: 0, signal: null });
    assertNowhereOnDisk(passcode);
    for (const bot of [first, second])
      assert.equal((bot.stdout + bot.stderr).includes(passcode), false);
  });

  it('SIGKILL while the passcode is on its way to Teams: after the restart one visible copy, hidden on time', async function () {
    // The dead process's job lease (2 minutes) runs out, then the passcode shows 1 minute.
    this.timeout(360_000);
    const first = await startBot({ PASSCODE_VISIBLE_MINUTES: '1' });
    await first.ready();
    await requestReset(first);
    await until(() => emulator.resetCalls(DEVICE) === 1, 'resetPasscode to reach Intune');
    emulator.completeReset(DEVICE);
    const passcode = await passcodeFromGraph();
    // Teams shows the passcode, and the bot dies before it hears the answer.
    connector.holdNext((r) => r.raw.includes(passcode));
    await connector.waitFor(() => deliveriesOf(passcode).length > 0, 60_000, 'the send in flight');
    await first.kill('SIGKILL');

    const second = await startBot({ PASSCODE_VISIBLE_MINUTES: '1' });
    await second.ready();
    const showing = () =>
      [
        ...connector.shownIn(`a:personal-${technician.id}`),
        ...connector.shownIn(chat.conversationId),
      ]
        .filter(([, raw]) => raw.includes(passcode))
        .map(([id]) => id);
    // The restarted bot finishes the delivery (the lease of the dead one runs out first).
    await until(() => deliveriesOf(passcode).length > 1, 'the delivery after the restart', 200_000);
    assert.equal(new Set(showing()).size, 1, `exactly one visible copy: ${showing().join(', ')}`);
    // PASSCODE_VISIBLE_MINUTES=1: every copy is hidden, the one the dead process left included.
    await until(() => showing().length === 0, 'every copy hidden', 120_000);
    assert.deepEqual(await second.kill('SIGTERM'), { code: 0, signal: null });
    assertNowhereOnDisk(passcode);
  });
});
