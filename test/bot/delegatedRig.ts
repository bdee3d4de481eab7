import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TeamsSSOTokenExchangeMiddleware, TestAdapter, type Activity } from 'botbuilder';
import { TokenExchangeDedupStorage } from '../../src/bot/auth/tokenExchangeDedup';
import { BotUserTokenSource, tokenStoreLookup } from '../../src/bot/auth/userTokenSource';
import { createBot } from '../../src/bot/createBot';
import { ConversationDirectory } from '../../src/bot/directory';
import type { PasscodeDeskBot } from '../../src/bot/teamsBot';
import { DocumentStoreBotStorage } from '../../src/bot/storageAdapter';
import { loadConfig, type Config } from '../../src/config';
import type { AuditEntry } from '../../src/domain/ports/audit';
import { createDesk, type DeskParts } from '../../src/domain/createDesk';
import type { EmulatorHandle } from '../../src/emulator/api';
import { DEMO_TENANT } from '../../src/emulator/demoTenant';
import { startEmulator } from '../../src/emulator/server';
import { createDelegatedIntune, createIntune } from '../../src/intune/createIntune';
import { createLogger } from '../../src/logger';
import type { Stores } from '../../src/domain/ports/storage';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';
import { RecordingMessenger } from '../support/recordingMessenger';
import { TeamsActivities } from '../support/teamsActivities';

export const CONNECTION = 'graph';
const APP_ID = '22222222-2222-2222-2222-222222222222';
const NO_RETRIES = { maxRetries: 0, requestTimeoutMs: 5000, batch: { maxAttempts: 1 } };

/**
 * The delegated-mode bot on real parts, driven through botbuilder's TestAdapter (whose
 * in-memory token store stands in for the Bot Service's): createBot + createDesk wired
 * as startApp wires them, the Intune emulator over HTTP, SQLite in a temp folder and
 * TeamsSSOTokenExchangeMiddleware over the shared store. Proactive sends are recorded.
 */
export class DelegatedBotRig {
  private constructor(
    readonly adapter: TestAdapter,
    readonly emulator: EmulatorHandle,
    readonly stores: Stores<AuditEntry>,
    readonly domain: DeskParts,
    readonly messenger: RecordingMessenger,
    readonly activities: TeamsActivities,
    readonly config: Config,
    readonly logs: string[],
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<DelegatedBotRig> {
    const emulator = await startEmulator({ resetDelayMs: 60_000 });
    const dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-delegated-'));
    const logs: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
    const config = loadConfig({
      GRAPH_BASE_URL: emulator.url,
      GRAPH_AUTH: 'delegated',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      ALLOWED_TENANT_IDS: DEMO_TENANT.tenantId,
      HELPDESK_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians,
      ADMIN_GROUP_IDS: DEMO_TENANT.groups.helpdeskAdmins,
    });
    const stores = openSqliteStores<AuditEntry>(dataDir);
    // The adapter comes first (the token source needs it); the bot it runs, last.
    const turn: { bot?: PasscodeDeskBot } = {};
    const adapter = new TestAdapter(async (context) => turn.bot?.run(context));
    adapter.use(
      new TeamsSSOTokenExchangeMiddleware(
        new TokenExchangeDedupStorage(stores.documents),
        config.OAUTH_CONNECTION_NAME,
      ),
    );
    const directory = new ConversationDirectory(stores.documents);
    const messenger = new RecordingMessenger();
    const domain = createDesk({
      config,
      intune: createIntune(config, logger, undefined, NO_RETRIES),
      stores,
      messenger,
      logger,
      instanceId: 'delegated-bot-test',
      delegated: {
        tokens: new BotUserTokenSource(
          directory,
          tokenStoreLookup(adapter, APP_ID, config.OAUTH_CONNECTION_NAME),
        ),
        intuneFor: (token) => createDelegatedIntune(config, logger, token, NO_RETRIES),
      },
    });
    turn.bot = createBot({
      desk: domain.desk,
      documents: stores.documents,
      storage: new DocumentStoreBotStorage(stores.documents),
      settings: { passcodeVisibleMinutes: 10, resetTimeoutMinutes: 4320 },
      logger,
      signIn: { connectionName: config.OAUTH_CONNECTION_NAME },
    }).bot;
    return new DelegatedBotRig(
      adapter,
      emulator,
      stores,
      domain,
      messenger,
      new TeamsActivities('https://smba.example.invalid/teams/', DEMO_TENANT.tenantId),
      config,
      logs,
      dataDir,
    );
  }

  /** Sends one activity through the adapter; returns what the bot sent during that turn. */
  async send(activity: Record<string, unknown>): Promise<Partial<Activity>[]> {
    const before = this.adapter.activeQueue.length;
    await this.adapter.processActivity(activity as Partial<Activity>);
    return this.adapter.activeQueue.splice(before);
  }

  /** The body of the invoke response the bot sent (exactly one is expected). */
  async invoke(activity: Record<string, unknown>): Promise<{ status?: number; body?: unknown }> {
    const sent = await this.send(activity);
    const responses = sent.filter((a) => a.type === 'invokeResponse');
    if (responses.length !== 1) {
      throw new Error(`Expected one invoke response, got ${JSON.stringify(sent)}`);
    }
    return responses[0]!.value as { status?: number; body?: unknown };
  }

  /** The Graph Authorization headers the emulator saw (each distinct value once). */
  authorizations(): Set<string | undefined> {
    return new Set(this.emulator.requests.map((r) => r.authorization));
  }

  /** The SQLite files' bytes and every log line, as text. */
  async everythingWritten(): Promise<string> {
    const parts = [...this.logs];
    for (const file of await readdir(this.dataDir)) {
      parts.push((await readFile(join(this.dataDir, file))).toString('latin1'));
    }
    return parts.join('\n');
  }

  async close(): Promise<void> {
    await this.domain.tracker.stop();
    await this.stores.documents.close();
    await this.emulator.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
