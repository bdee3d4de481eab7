import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config';
import { createIntune, type IntuneTuning } from '../intune/createIntune';
import { createTokenSource, type TokenSource } from '../intune/credentials';
import type { Intune } from '../domain/ports';
import { createLogger, type Logger } from '../logger';
import { redact } from '../readiness/errorDetail';
import { readinessLocale, type ReadinessLocale } from '../readiness/messages';
import { checkReadiness } from '../readiness/readiness';
import { itemFix, itemTitle, renderReadinessText } from '../readiness/renderText';
import type { ReadinessReport } from '../readiness/report';
import { openStores } from '../store/openStores';

/**
 * `npm run doctor [-- --json] [--lang zh-TW]`: is this deployment ready for a real tenant?
 * The same checks as `check setup` in Teams, from a shell, with this machine's settings
 * and identity. Exit code 0 when nothing failed, 1 when something did, 2 for a bad
 * setting or option. Prints no secret and no token.
 */
const USAGE = 'Usage: doctor [--json] [--lang en|zh-TW]';

/** Fail fast rather than retry for minutes: a person is waiting at the prompt. */
const DOCTOR_GRAPH_TUNING: IntuneTuning = {
  maxRetries: 1,
  retryDelaySeconds: 1,
  maxRetryAfterSeconds: 5,
  requestTimeoutMs: 15_000,
};

class UsageError extends Error {}

interface DoctorOptions {
  json: boolean;
  locale: ReadinessLocale;
}

function parseOptions(argv: string[]): DoctorOptions | 'help' {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        lang: { type: 'string', default: 'en' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message} — ${USAGE}`);
  }
  if (values.help) return 'help';
  const locale = readinessLocale(values.lang);
  if (locale === 'en' && values.lang.trim().toLowerCase() !== 'en')
    throw new UsageError(`--lang must be en or zh-TW, not "${values.lang}" — ${USAGE}`);
  return { json: values.json, locale };
}

interface GraphParts {
  intune?: Intune;
  tokenSource?: TokenSource;
  graphError?: unknown;
}

/** The app's own Graph access; in delegated mode without app credentials there is none. */
function graphParts(config: Config, logger: Logger): GraphParts {
  try {
    const tokenSource = createTokenSource(config);
    return {
      tokenSource,
      intune: createIntune(config, logger, tokenSource, DOCTOR_GRAPH_TUNING),
    };
  } catch (error) {
    return config.GRAPH_AUTH === 'delegated' ? {} : { graphError: error };
  }
}

export function reportAsJson(report: ReadinessReport, locale: ReadinessLocale): string {
  const items = report.items.map((entry) => {
    const fix = itemFix(entry, locale);
    return { ...entry, title: itemTitle(entry, locale), ...(fix ? { fix } : {}) };
  });
  return `${JSON.stringify({ ...report, lang: locale, items }, null, 2)}\n`;
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  // Logs go to stderr (stdout may be JSON), and only warnings unless LOG_LEVEL asks for more.
  const logger = createLogger(
    process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn',
    pino.destination(2),
  );
  const report = await checkReadiness({
    config,
    ...graphParts(config, logger),
    documents: async () => (await openStores(config, logger)).documents,
  });
  process.stdout.write(
    options.json
      ? reportAsJson(report, options.locale)
      : renderReadinessText(report, options.locale),
  );
  return report.ok ? 0 : 1;
}

/** Exits explicitly: an identity client or a keep-alive socket must not hold the shell. */
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(exit, (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    const message = error instanceof Error ? error.message : String(error);
    // ConfigError masks secret values itself; anything else is redacted to be sure.
    const secrets = [
      process.env.AZURE_CLIENT_SECRET,
      process.env.MicrosoftAppPassword,
      process.env.AZURE_STORAGE_CONNECTION_STRING,
    ];
    process.stderr.write(`${usage ? message : `doctor: ${redact(message, secrets)}`}\n`);
    exit(usage ? 2 : 1);
  });
}
