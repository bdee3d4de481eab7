import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppOptions, type RunningApp } from '../../src/app';
import { noteGraphThrottled } from '../../src/bot/turnDeadline';
import { loadConfig, type Config } from '../../src/config';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { createIntune } from '../../src/intune/createIntune';
import { StaticTokenSource } from '../../src/intune/credentials';
import { createLogger } from '../../src/logger';
import { ConnectorStandIn, type ActivityLike } from './connectorStandIn';
import { TeamsActivities, teamsUser, type Place, type TeamsUser } from './teamsActivities';

export { DEMO_TENANT };

export interface TeamsHarnessOptions {
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
  app?: Omit<AppOptions, 'logger'>;
  /** The app's Graph token (e.g. an unsigned JWT with roles) instead of the loopback dev token. */
  graphToken?: string;
  /** How long the bot's Graph client waits for one answer (default 5 s; production 30 s). */
  graphTimeoutMs?: number;
  /** Retries of a throttled Graph request, honouring Retry-After as production does (default 0). */
  graphRetries?: number;
}

export interface PostResult {
  status: number;
  body: unknown;
}

/** Demo-tenant people as Teams users. */
export const PEOPLE = {
  /** Helpdesk technician. */
  megan: teamsUser(DEMO_TENANT.users.meganBowen, 'Megan Bowen'),
  /** Helpdesk technician. */
  lee: teamsUser(DEMO_TENANT.users.leeGu, 'Lee Gu'),
  /** Technician through the nested "Helpdesk tier 2" group. */
  nestor: teamsUser(DEMO_TENANT.users.nestorWilke, 'Nestor Wilke'),
  /** Helpdesk admin. */
  adele: teamsUser(DEMO_TENANT.users.adeleVance, 'Adele Vance'),
  /** In no helpdesk group. */
  diego: teamsUser(DEMO_TENANT.users.diegoSiciliani, 'Diego Siciliani'),
} satisfies Record<string, TeamsUser>;

/**
 * The whole bot on real parts: startApp's restify server on a loopback port, the Intune
 * emulator over HTTP, SQLite in a temp folder and a connector stand-in as Teams' service URL.
 */
export class TeamsHarness {
  private constructor(
    /** Every log line the app wrote (JSON). */
    readonly logs: string[],
    readonly app: RunningApp,
    readonly emulator: EmulatorHandle,
    readonly connector: ConnectorStandIn,
    readonly activities: TeamsActivities,
    readonly config: Config,
    readonly dataDir: string,
  ) {}

  static async start(options: TeamsHarnessOptions = {}): Promise<TeamsHarness> {
    const emulator = await startEmulator({ resetDelayMs: 300, ...options.emulator });
    const connector = await ConnectorStandIn.start();
    const dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-bot-'));
    const logs: string[] = [];
    try {
      const config = loadConfig({
        GRAPH_BASE_URL: emulator.url,
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ALLOWED_TENANT_IDS: DEMO_TENANT.tenantId,
        HELPDESK_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians,
        ADMIN_GROUP_IDS: DEMO_TENANT.groups.helpdeskAdmins,
        TRACKER_INTERVAL_SECONDS: '1',
        LOG_LEVEL: 'debug',
        ...options.env,
      });
      config.PORT = 0;
      const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
      // No Graph retries: a fault a test injects shows at once instead of after backoff.
      const graphTokenSource = options.graphToken
        ? new StaticTokenSource(options.graphToken)
        : undefined;
      const intune = createIntune(config, logger, graphTokenSource, {
        maxRetries: options.graphRetries ?? 0,
        // As app.ts wires it: a turn learns that Graph asked it to wait.
        onThrottled: (_scope, retryAfterSeconds) => noteGraphThrottled(retryAfterSeconds),
        requestTimeoutMs: options.graphTimeoutMs ?? 5000,
        batch: { maxAttempts: 1 },
      });
      const app = await startApp(config, {
        intune,
        ...(graphTokenSource ? { graphTokenSource } : {}),
        ...options.app,
        logger,
      });
      return new TeamsHarness(
        logs,
        app,
        emulator,
        connector,
        new TeamsActivities(connector.url, DEMO_TENANT.tenantId),
        config,
        dataDir,
      );
    } catch (error) {
      await connector.close();
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get messagesUrl(): string {
    return `${this.app.url}/api/messages`;
  }

  async post(activity: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
    const response = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body };
  }

  /** Posts an invoke and returns the card it answered with (asserting the Universal Actions shape). */
  async invokeCard(activity: unknown): Promise<Record<string, unknown>> {
    const result = await this.post(activity);
    const body = result.body as {
      statusCode?: number;
      type?: string;
      value?: Record<string, unknown>;
    };
    if (
      result.status !== 200 ||
      body?.statusCode !== 200 ||
      body.type !== 'application/vnd.microsoft.card.adaptive'
    ) {
      throw new Error(`Unexpected invoke answer ${result.status}: ${JSON.stringify(result.body)}`);
    }
    return body.value as Record<string, unknown>;
  }

  /** Posts a message and returns what the bot sent back into that conversation (new activities only). */
  async say(activity: Record<string, unknown>): Promise<ActivityLike[]> {
    const conversationId = (activity.conversation as { id: string }).id;
    const before = this.connector.sentTo(conversationId).length;
    const result = await this.post(activity);
    if (result.status >= 300)
      throw new Error(`Message answered ${result.status}: ${JSON.stringify(result.body)}`);
    return this.connector.sentTo(conversationId).slice(before);
  }

  /**
   * `reset <serial>` → Pick → Confirm over HTTP, as a technician does it: the serial finds one
   * device. Returns the card Confirm answered with and the card message's id.
   */
  async confirmReset(
    user: TeamsUser,
    place: Place,
    serial: string,
  ): Promise<{ waiting: Record<string, unknown>; messageId: string }> {
    const replies = await this.say(this.activities.message(user, place, `reset ${serial}`));
    const picks = executeActions(cardOf(replies[0])).filter((a) => a.verb === 'pick');
    assert.equal(picks.length, 1, cardText(cardOf(replies[0])));
    const messageId = this.connector.lastMessageId(place.conversationId)!;
    const confirmCard = await this.invokeCard(
      this.activities.invoke(user, place, 'pick', picks[0]!.data, messageId),
    );
    const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
    assert.ok(confirm, cardText(confirmCard));
    const waiting = await this.invokeCard(
      this.activities.invoke(user, place, 'confirm', confirm.data, messageId),
    );
    return { waiting, messageId };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.connector.close();
    await this.emulator.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** The Adaptive Card inside a sent activity. */
export function cardOf(activity: ActivityLike | undefined): Record<string, unknown> {
  const attachment = activity?.attachments?.[0];
  if (
    attachment?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
    !attachment.content
  ) {
    throw new Error(`Not an Adaptive Card activity: ${JSON.stringify(activity)}`);
  }
  return attachment.content;
}

/** Every TextBlock/Fact/title text of a card, joined: what a person would read. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
      if (typeof o[key] === 'string') parts.push(o[key] as string);
    }
    for (const [key, value] of Object.entries(o)) if (key !== 'refresh') walk(value);
  };
  walk(card);
  return parts.join('\n');
}

/** Every Action.Execute in a card. */
export function executeActions(
  card: unknown,
): Array<{ title?: string; verb: string; data: Record<string, unknown> }> {
  const found: Array<{ title?: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') {
      found.push({
        ...(typeof o.title === 'string' ? { title: o.title } : {}),
        verb: o.verb,
        data: (o.data ?? {}) as Record<string, unknown>,
      });
    }
    for (const [key, value] of Object.entries(o)) if (key !== 'refresh') walk(value);
  };
  walk(card);
  return found;
}
