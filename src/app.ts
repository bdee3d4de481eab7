import type { Server } from 'restify';
import { ConfigError, isLoopbackUrl, type Config } from './config';
import { createAdapter } from './bot/adapter';
import { BotMessenger } from './bot/botMessenger';
import { CardViewStore } from './bot/cardViews';
import { createBot } from './bot/createBot';
import { ConversationDirectory } from './bot/directory';
import { Proactive } from './bot/proactive';
import { DocumentStoreBotStorage } from './bot/storageAdapter';
import type { AuditEntry } from './domain/audit';
import type { Clock } from './domain/clock';
import { createDesk } from './domain/createDesk';
import type { Desk } from './domain/desk';
import type { Messenger } from './domain/messenger';
import { SettingsRepository } from './domain/settingsRepository';
import type { Tracker } from './domain/tracker';
import { createIntune } from './intune/createIntune';
import type { Intune } from './intune/intune';
import { createLogger, type Logger } from './logger';
import { closeServer, createServer, listen } from './server';
import { openStores } from './store/openStores';
import type { Stores } from './store/ports';

export interface AppOptions {
  logger?: Logger;
  /** Default: the Graph implementation at GRAPH_BASE_URL. */
  intune?: Intune;
  /** Default: the engine STORAGE names. Stores passed in are not closed by close(). */
  stores?: Stores<AuditEntry>;
  /** Default: the bot's proactive Messenger. Tests may record instead. */
  messenger?: Messenger;
  clock?: Clock;
  /** Names this instance in job leases (see createDesk). */
  instanceId?: string;
  /** Default true. false leaves the tracker stopped for a test to drive (tracker.runOnce()). */
  startTracker?: boolean;
}

export interface RunningApp {
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:3978 (the bot endpoint is `${url}/api/messages`). */
  url: string;
  desk: Desk;
  tracker: Tracker;
  intune: Intune;
  stores: Stores<AuditEntry>;
  /** Stops the tracker, closes the server, then closes the stores it opened. */
  close(): Promise<void>;
}

const isLoopbackHost = (host: string): boolean =>
  isLoopbackUrl(`http://${host.includes(':') ? `[${host}]` : host}`);

/** HOST, or 127.0.0.1 in local (unauthenticated) mode and 0.0.0.0 with an app id. */
export function listenHost(config: Pick<Config, 'HOST' | 'MicrosoftAppId'>): string {
  const host = config.HOST ?? (config.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1');
  if (!config.MicrosoftAppId && !isLoopbackHost(host)) {
    // Without an app id nobody's token is checked: only this machine may talk to the bot.
    throw new ConfigError(
      'HOST',
      `Setting HOST is invalid ("${host}"): expected a loopback address while MicrosoftAppId is empty (authentication is off), for example HOST=127.0.0.1`,
    );
  }
  return host;
}

/** Builds everything (Intune, stores, Desk + tracker, bot, server) and listens on HOST:PORT. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const host = listenHost(config);
  const appId = config.MicrosoftAppId ?? '';
  const ownStores = !options.stores;
  const stores = options.stores ?? (await openStores(config, logger));
  try {
    const intune = options.intune ?? createIntune(config, logger);
    const adapter = createAdapter(config, logger);
    const directory = new ConversationDirectory(stores.documents);
    const cardViews = new CardViewStore(stores.documents);
    const settings = {
      passcodeVisibleMinutes: config.PASSCODE_VISIBLE_MINUTES,
      resetTimeoutMinutes: config.RESET_TIMEOUT_MINUTES,
    };
    const messenger =
      options.messenger ??
      new BotMessenger({
        proactive: new Proactive(adapter, appId, directory, logger),
        directory,
        cardViews,
        settingsRepository: new SettingsRepository(stores.documents),
        ...(config.HELPDESK_CHANNEL_ID && config.HELPDESK_SERVICE_URL
          ? {
              configuredChannel: {
                conversationId: config.HELPDESK_CHANNEL_ID,
                serviceUrl: config.HELPDESK_SERVICE_URL,
                botId: `28:${appId}`,
                ...(config.MicrosoftAppTenantId || config.AZURE_TENANT_ID
                  ? { tenantId: (config.MicrosoftAppTenantId || config.AZURE_TENANT_ID) as string }
                  : {}),
              },
            }
          : {}),
        settings,
        logger,
        ...(options.clock ? { now: () => options.clock!.now() } : {}),
      });
    const { desk, tracker } = createDesk({
      config,
      intune,
      stores,
      messenger,
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    });
    const { bot } = createBot({
      desk,
      documents: stores.documents,
      storage: new DocumentStoreBotStorage(stores.documents),
      settings,
      logger,
    });
    const server = createServer({
      processMessage: (req, res) => adapter.process(req, res, (context) => bot.run(context)),
      readiness: [
        { name: 'intune', ping: () => intune.ping() },
        { name: 'store', ping: () => stores.documents.ping() },
      ],
      logger,
    });
    const url = await listen(server, config.PORT, host);
    if (options.startTracker !== false) tracker.start();
    logger.info(
      { url, authentication: appId ? 'on' : 'off (local development)' },
      'Passcode Desk is listening',
    );
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await tracker.stop();
        await closeServer(server);
        if (ownStores) await stores.documents.close();
      })());
    return { server, url, desk, tracker, intune, stores, close };
  } catch (error) {
    if (ownStores) await stores.documents.close().catch(() => undefined);
    throw error;
  }
}
