import { withSdkConsoleTo } from './bot/sdkConsole';
import type { Server } from 'restify';
import { ConfigError, isLoopbackUrl, type Config } from './config';
import { createAdapter } from './bot/adapter';
import { graphReachable, setUpDelegatedMode } from './bot/auth/delegatedMode';
import { BotMessenger } from './bot/botMessenger';
import { CardViewStore } from './bot/cardViews';
import { createBot } from './bot/createBot';
import { ConversationDirectory } from './bot/directory';
import { Proactive } from './bot/proactive';
import { noteGraphThrottled, TurnDeadline } from './bot/turnDeadline';
import { createBotStateStorage } from './bot/botStateStorage';
import { DocumentStoreBotStorage } from './bot/storageAdapter';
import type { AuditEntry, Clock, Messenger, Intune, Stores } from './domain/ports';
import { createDesk } from './domain/createDesk';
import type { Desk } from './domain/desk';
import { SettingsRepository } from './domain/records';
import type { Tracker } from './domain/tracking';
import { createDelegatedIntune, createIntune } from './intune/createIntune';
import { createTokenSource, type TokenSource } from './intune/credentials';
import { checkReadiness } from './readiness/readiness';
import { createLogger, type Logger } from './logger';
import { createServer, listen, shutdownServer, TurnGate } from './server';
import { openStores } from './store/openStores';
import { globalAppMetrics, type AppMetrics } from './telemetry/appMetrics';

export interface AppOptions {
  logger?: Logger;
  /** Default: the Graph implementation at GRAPH_BASE_URL. */
  intune?: Intune;
  /**
   * The app's Graph token source, read by `check setup` for the permissions granted (and
   * used for `intune` when that is not given). Default: from the settings (GRAPH_AUTH=app).
   */
  graphTokenSource?: TokenSource;
  /**
   * GRAPH_AUTH=delegated: an Intune acting with one technician's token. Default: the
   * Graph implementation at GRAPH_BASE_URL (createDelegatedIntune).
   */
  intuneFor?: (token: string) => Intune;
  /** Default: the engine STORAGE names. Stores passed in are not closed by close(). */
  stores?: Stores<AuditEntry>;
  /** Default: the bot's proactive Messenger. Tests may record instead. */
  messenger?: Messenger;
  clock?: Clock;
  /** Names this instance in job leases (see createDesk). */
  instanceId?: string;
  /** Default true. false leaves the tracker stopped for a test to drive (tracker.runOnce()). */
  startTracker?: boolean;
  /** Default: instruments on the global meter provider (no-ops unless telemetry started). */
  metrics?: AppMetrics;
}

export interface RunningApp {
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:3978 (the bot endpoint is `${url}/api/messages`). */
  url: string;
  desk: Desk;
  tracker: Tracker;
  intune: Intune;
  stores: Stores<AuditEntry>;
  /** How this instance names itself in job leases. */
  instanceId: string;
  /**
   * Graceful stop: new messages and /readyz answer 503 and the server stops listening;
   * turns in flight, and late card presses still working, finish (up to SHUTDOWN_GRACE_MS); the tracker finishes its cycle and
   * releases its job leases; then the stores it opened are closed.
   */
  close(): Promise<void>;
}

/** How long a stop waits for turns in flight (Teams gives up on an invoke after ~15 s). */
export const SHUTDOWN_GRACE_MS = 15_000;
/** `check setup` answers in a chat: each readiness check gets this long. */
const ENVIRONMENT_CHECK_TIMEOUT_MS = 8_000;

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
  if (config.GRAPH_AUTH === 'delegated' && !appId) {
    // Sign-in goes through the Azure Bot's OAuth connection, which needs the bot's identity.
    throw new ConfigError(
      'MicrosoftAppId',
      'Setting MicrosoftAppId is missing: expected the Azure Bot app id when GRAPH_AUTH=delegated (technicians sign in through its OAuth connection), for example MicrosoftAppId=22222222-2222-2222-2222-222222222222',
    );
  }
  const ownStores = !options.stores;
  const stores = options.stores ?? (await openStores(config, logger));
  try {
    const metrics = options.metrics ?? globalAppMetrics();
    // Kept to read the permissions granted (check setup); delegated mode has no app token.
    const appTokenSource =
      options.graphTokenSource ??
      (!options.intune && config.GRAPH_AUTH === 'app' ? createTokenSource(config) : undefined);
    const intune =
      options.intune ??
      createIntune(config, logger, appTokenSource, {
        onThrottled: (scope, retryAfterSeconds) => {
          metrics.graphThrottled(scope);
          noteGraphThrottled(retryAfterSeconds);
        },
      });
    const adapter = createAdapter(config, logger);
    const directory = new ConversationDirectory(stores.documents);
    // GRAPH_AUTH=delegated: technicians sign in, Graph calls carry their own tokens (src/bot/auth).
    const delegated =
      config.GRAPH_AUTH === 'delegated'
        ? setUpDelegatedMode({
            adapter,
            appId,
            connectionName: config.OAUTH_CONNECTION_NAME,
            directory,
            documents: stores.documents,
          })
        : undefined;
    const cardViews = new CardViewStore(stores.documents);
    const settings = {
      passcodeVisibleMinutes: config.PASSCODE_VISIBLE_MINUTES,
      allowedChannelIds: config.ALLOWED_CHANNEL_IDS,
      resetTimeoutMinutes: config.RESET_TIMEOUT_MINUTES,
      ticketRequired: config.TICKET_REQUIRED,
      ...(config.TICKET_PATTERN ? { ticketPattern: config.TICKET_PATTERN } : {}),
      ...(config.TICKET_URL_TEMPLATE ? { ticketUrlTemplate: config.TICKET_URL_TEMPLATE } : {}),
    };
    const proactive = new Proactive(adapter, appId, directory, logger);
    const messenger =
      options.messenger ??
      new BotMessenger({
        proactive,
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
    const { desk, tracker, instanceId } = createDesk({
      config,
      intune,
      stores,
      messenger,
      logger,
      metrics,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.instanceId ? { instanceId: options.instanceId } : {}),
      ...(delegated
        ? {
            delegated: {
              tokens: delegated.tokens,
              intuneFor:
                options.intuneFor ??
                ((token: string) =>
                  createDelegatedIntune(config, logger, token, {
                    onThrottled: (scope, retryAfterSeconds) => {
                      metrics.graphThrottled(scope);
                      noteGraphThrottled(retryAfterSeconds);
                    },
                  })),
            },
          }
        : {}),
    });
    const turns = new TurnGate();
    const { bot } = createBot({
      desk,
      documents: stores.documents,
      // Stores handed in (tests) keep the bot state with them; else the STORAGE engine's.
      storage: ownStores
        ? await createBotStateStorage(config, stores.documents)
        : new DocumentStoreBotStorage(stores.documents),
      settings,
      logger,
      ...(delegated ? { signIn: { connectionName: config.OAUTH_CONNECTION_NAME } } : {}),
      turnDeadline: new TurnDeadline({
        deadlineMs: config.TURN_DEADLINE_SECONDS * 1000,
        backgroundMs: config.TURN_BACKGROUND_SECONDS * 1000,
        proactive,
        logger,
        inFlight: turns,
      }),
      checkEnvironment: (tenantId) =>
        checkReadiness({
          config,
          tenantId,
          documents: stores.documents,
          skipPrerequisites: true,
          timeoutMs: ENVIRONMENT_CHECK_TIMEOUT_MS,
          // Delegated mode: Graph is the technician's; the desk already proved it answers.
          ...(delegated
            ? {}
            : { intune, ...(appTokenSource ? { tokenSource: appTokenSource } : {}) }),
        }),
    });
    const server = createServer({
      turns,
      processMessage: (req, res) =>
        withSdkConsoleTo(logger, () => adapter.process(req, res, (context) => bot.run(context))),
      readiness: [
        { name: 'intune', ping: delegated ? graphReachable(intune) : () => intune.ping() },
        { name: 'store', ping: () => stores.documents.ping() },
      ],
      logger,
    });
    const url = await listen(server, config.PORT, host);
    if (options.startTracker !== false) tracker.start();
    logger.info(
      { url, authentication: appId ? 'on' : 'off (local development)', instanceId },
      'Passcode Desk is listening',
    );
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        const finished = await shutdownServer(server, turns, SHUTDOWN_GRACE_MS);
        if (!finished) logger.warn('Stopped with turns still in flight');
        await tracker.stop();
        if (ownStores) await stores.documents.close();
      })());
    return { server, url, desk, tracker, intune, stores, instanceId, close };
  } catch (error) {
    if (ownStores) await stores.documents.close().catch(() => undefined);
    throw error;
  }
}
