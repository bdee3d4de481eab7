import { startApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';

/** `npm run start:bot`: read the settings, start the bot, stop gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let app;
  try {
    app = await startApp(config, { logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger.info({ url: app.url, endpoint: `${app.url}/api/messages` }, 'Bot started');
  const running = app;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping');
    running
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(
          { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'Stop failed',
        );
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Passcode Desk failed to start: ${(error as Error)?.message ?? String(error)}\n`,
  );
  process.exit(1);
});
