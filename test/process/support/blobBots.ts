import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { freePort } from '../../../src/demo/ports';
import type { AuditEntry } from '../../../src/domain/ports/audit';
import type { ResetJob } from '../../../src/domain/shared/job';
import type { EmulatorHandle } from '../../../src/emulator/api';
import { DEMO_TENANT } from '../../../src/emulator/demoTenant';
import { startEmulator } from '../../../src/emulator/server';
import { t } from '../../../src/i18n';
import { openBlobStores } from '../../../src/store/blob/openBlobStores';
import type { Stores } from '../../../src/domain/ports/storage';
import { startAzurite, type Azurite } from '../../support/azurite';
import { ConnectorStandIn } from '../../support/connectorStandIn';
import { personalChat, TeamsActivities, teamsUser } from '../../support/teamsActivities';
import { cardOf, executeActions } from '../../support/teamsHarness';
import { BotProcess } from './botProcess';

export const DEVICE = DEMO_TENANT.devices.irvinIdol4S;
const DEVICE_QUERY = 'Irvin IDOL 4S';
const technician = teamsUser(DEMO_TENANT.users.meganBowen, 'Megan Bowen');
const chat = personalChat(technician);

/**
 * Several bot processes (node dist/src/index.js) sharing one Blob container on an Azurite
 * started for the test, with the Intune emulator and a connector stand-in in the test
 * process. Every process it spawns is killed by close(), whatever happened.
 */
export class BlobBots {
  readonly bots: BotProcess[] = [];
  private readonly activities: TeamsActivities;

  private constructor(
    readonly azurite: Azurite,
    readonly emulator: EmulatorHandle,
    readonly connector: ConnectorStandIn,
    readonly container: string,
    readonly stores: Stores<AuditEntry>,
  ) {
    this.activities = new TeamsActivities(connector.url, emulator.tenantId);
  }

  static async start(): Promise<BlobBots> {
    const azurite = await startAzurite();
    const started: Array<{ close(): Promise<void> }> = [];
    try {
      // Resets stay pending until the test completes them.
      const emulator = await startEmulator({ resetDelayMs: 60 * 60 * 1000 });
      started.push(emulator);
      const connector = await ConnectorStandIn.start();
      started.push(connector);
      const container = `bots-${randomBytes(6).toString('hex')}`;
      const stores = await openBlobStores<AuditEntry>({
        containerName: container,
        connectionString: azurite.connectionString,
      });
      return new BlobBots(azurite, emulator, connector, container, stores);
    } catch (error) {
      for (const part of started.reverse()) await part.close();
      await azurite.stop();
      throw error;
    }
  }

  /** Spawns a bot on its own port, sharing the container; resolves once it listens. */
  async startBot(extra: Record<string, string> = {}): Promise<BotProcess> {
    const bot = BotProcess.spawn({
      PORT: String(await freePort()),
      GRAPH_BASE_URL: this.emulator.url,
      AZURE_TENANT_ID: this.emulator.tenantId,
      HELPDESK_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians,
      STORAGE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: this.azurite.connectionString,
      AZURE_STORAGE_CONTAINER: this.container,
      TRACKER_INTERVAL_SECONDS: '1',
      // The most talkative level: the passcode must not show up even there.
      LOG_LEVEL: 'trace',
      ...extra,
    });
    this.bots.push(bot);
    await bot.ready();
    return bot;
  }

  async post(bot: BotProcess, activity: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Search → Pick → Confirm over HTTP, as Teams would send them; resolves once Confirm is answered. */
  async requestReset(bot: BotProcess): Promise<void> {
    const sentBefore = this.connector.sentTo(chat.conversationId).length;
    const searched = await this.post(
      bot,
      this.activities.message(technician, chat, `reset ${DEVICE_QUERY}`),
    );
    assert.ok(searched.status < 300, `search answered ${searched.status}`);
    await this.connector.waitFor(
      () => this.connector.sentTo(chat.conversationId).length > sentBefore,
      30_000,
      'the results card',
    );
    const resultsMessageId = this.connector.lastMessageId(chat.conversationId);
    const pick = executeActions(cardOf(this.connector.sentTo(chat.conversationId).at(-1))).find(
      (a) => a.title === t('en', 'results.pick'),
    );
    assert.ok(pick && resultsMessageId, 'the results card has a Pick button');
    const picked = await this.post(
      bot,
      this.activities.invoke(technician, chat, pick.verb, pick.data, resultsMessageId),
    );
    const confirm = executeActions((picked.body as { value?: unknown }).value).find(
      (a) => a.title === t('en', 'confirm.confirm'),
    );
    assert.ok(confirm, `the confirm card has a Confirm button: ${JSON.stringify(picked.body)}`);
    const confirmed = await this.post(
      bot,
      this.activities.invoke(technician, chat, confirm.verb, confirm.data, resultsMessageId),
    );
    assert.equal(confirmed.status, 200);
    assert.equal((confirmed.body as { statusCode?: number }).statusCode, 200);
  }

  /** The one reset job in the container (undefined before the confirm stored it). */
  async job(): Promise<ResetJob | undefined> {
    const jobs = await this.stores.documents.list<ResetJob>('jobs');
    assert.ok(jobs.length <= 1, `one job expected, found ${jobs.length}`);
    return jobs[0]?.value;
  }

  /** Polls the stored job until `predicate` holds; returns that version. */
  async jobWhere(
    predicate: (job: ResetJob) => boolean,
    what: string,
    timeoutMs = 45_000,
  ): Promise<ResetJob> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.job();
      if (job && predicate(job)) return job;
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}; job: ${JSON.stringify(job)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Polls the audit until an entry matches (it is written after the job it is about). */
  async auditWhere(
    predicate: (entry: AuditEntry) => boolean,
    what: string,
    timeoutMs = 45_000,
  ): Promise<AuditEntry> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.stores.audit.recent(200)).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async passcodeFromGraph(): Promise<string> {
    const response = await fetch(
      `${this.emulator.url}/v1.0/deviceManagement/managedDevices/${DEVICE}`,
      { headers: { Authorization: 'Bearer process-test' } },
    );
    const device = (await response.json()) as {
      deviceActionResults?: Array<{ actionName: string; actionState: string; passcode?: string }>;
    };
    const result = device.deviceActionResults?.find((r) => r.actionName === 'resetPasscode');
    assert.equal(result?.actionState, 'done');
    assert.ok(result?.passcode);
    return result.passcode;
  }

  /** Connector requests that carried the passcode: its deliveries. */
  deliveriesOf(passcode: string) {
    return this.connector.requests.filter((r) => r.raw.includes(passcode));
  }

  /** Every blob in the container, as text: documents, audit, bot state. */
  async everythingStored(): Promise<string> {
    const container = BlobServiceClient.fromConnectionString(
      this.azurite.connectionString,
    ).getContainerClient(this.container);
    const parts: string[] = [];
    for await (const item of container.listBlobsFlat()) {
      parts.push(
        item.name,
        (await container.getBlobClient(item.name).downloadToBuffer()).toString(),
      );
    }
    return parts.join('\n');
  }

  async close(): Promise<void> {
    for (const bot of this.bots.splice(0)) await bot.kill('SIGKILL');
    await this.connector.close();
    await this.emulator.close();
    await this.azurite.stop();
  }
}
