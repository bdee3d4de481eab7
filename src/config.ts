import { z } from 'zod';
import { RESET_PLATFORM_KEYS } from './domain/desk';

/**
 * Every setting, read once from the environment and validated. A bad value stops
 * start-up with one line naming the variable, what it expects and an example.
 * .env.example documents each one.
 */
interface Setting<T> {
  expects: string;
  example: string;
  schema: z.ZodType<T>;
}

const csvIds = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[0-9a-fA-F-]{36}$/)));

const intIn = (min: number, max: number, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(max)
    .optional()
    .transform((v) => v ?? fallback);

/** A number (decimals allowed: tests set sub-second deadlines) within [min, max]. */
const numberIn = (min: number, max: number, fallback: number) =>
  z.coerce
    .number()
    .min(min)
    .max(max)
    .optional()
    .transform((v) => v ?? fallback);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** APPROVAL: nobody approves, every reset needs approval, or resets of these platform keys. */
export type ApprovalSetting = 'off' | 'all' | readonly string[];

/**
 * Platform row keys named in a comma-separated list (case does not matter; the table's
 * spelling is kept), without repeats; undefined when one names no row.
 */
function platformKeys(list: string): string[] | undefined {
  const keys = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((n) => RESET_PLATFORM_KEYS.find((k) => k.toLowerCase() === n.toLowerCase()));
  if (keys.some((k) => k === undefined)) return undefined;
  return [...new Set(keys as string[])];
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

const settings = {
  PORT: { expects: 'a TCP port 1-65535', example: '3978', schema: intIn(1, 65535, 3978) },
  HOST: {
    expects: 'an interface address to listen on',
    example: '0.0.0.0',
    schema: optionalText,
  },
  GRAPH_BASE_URL: {
    expects: 'an http(s) URL without a version path',
    example: 'https://graph.microsoft.com',
    schema: z
      .string()
      .optional()
      .transform((v) => (v?.trim() || 'https://graph.microsoft.com').replace(/\/+$/, ''))
      .pipe(z.url({ protocol: /^https?$/ }))
      .refine((v) => !/\/(v1\.0|beta)$/.test(v), 'must not end with /v1.0 or /beta'),
  },
  GRAPH_AUTH: {
    expects: "'app' (application permissions) or 'delegated' (the technician's own token)",
    example: 'app',
    schema: z
      .enum(['app', 'delegated'])
      .optional()
      .transform((v) => v ?? 'app'),
  },
  OAUTH_CONNECTION_NAME: {
    expects:
      'the Azure Bot OAuth connection technicians sign in with (GRAPH_AUTH=delegated; letters, digits, . _ -)',
    example: 'graph',
    schema: z
      .string()
      .optional()
      .transform((v) => v?.trim() || 'graph')
      .pipe(z.string().regex(/^[\w.-]{1,128}$/)),
  },
  AZURE_TENANT_ID: {
    expects: 'the Entra tenant id (GUID)',
    example: '00000000-0000-0000-0000-000000000000',
    schema: optionalText,
  },
  AZURE_CLIENT_ID: {
    expects: 'the app registration client id used for Graph',
    example: '11111111-1111-1111-1111-111111111111',
    schema: optionalText,
  },
  AZURE_CLIENT_SECRET: {
    expects: 'a client secret for AZURE_CLIENT_ID',
    example: '(secret)',
    schema: optionalText,
  },
  AZURE_CLIENT_CERTIFICATE_PATH: {
    expects: 'a PEM file with certificate and private key',
    example: '/secrets/graph.pem',
    schema: optionalText,
  },
  AZURE_USE_MANAGED_IDENTITY: {
    expects: "'true' to use a managed identity for Graph",
    example: 'true',
    schema: z
      .enum(['true', 'false', ''])
      .optional()
      .transform((v) => v === 'true'),
  },
  DATA_DIR: {
    expects: 'a writable folder',
    example: './data',
    schema: z
      .string()
      .optional()
      .transform((v) => v?.trim() || './data'),
  },
  STORAGE: {
    expects: "'sqlite' or 'blob'",
    example: 'sqlite',
    schema: z
      .enum(['sqlite', 'blob'])
      .optional()
      .transform((v) => v ?? 'sqlite'),
  },
  AZURE_STORAGE_CONNECTION_STRING: {
    expects: 'an Azure Storage connection string',
    example: 'UseDevelopmentStorage=true',
    schema: optionalText,
  },
  AZURE_STORAGE_ACCOUNT_URL: {
    expects: 'a blob endpoint used with a managed identity',
    example: 'https://contosobot.blob.core.windows.net',
    schema: optionalText,
  },
  AZURE_STORAGE_CONTAINER: {
    expects: 'a container name (3-63 lowercase letters, digits, dashes)',
    example: 'passcode-desk',
    schema: z
      .string()
      .optional()
      .transform((v) => v?.trim() || 'passcode-desk')
      .pipe(z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/)),
  },
  MicrosoftAppId: {
    expects: 'the Azure Bot app id (GUID), empty for local development',
    example: '22222222-2222-2222-2222-222222222222',
    schema: optionalText,
  },
  MicrosoftAppPassword: {
    expects: 'the Azure Bot client secret',
    example: '(secret)',
    schema: optionalText,
  },
  MicrosoftAppType: {
    expects: "'MultiTenant', 'SingleTenant' or 'UserAssignedMSI'",
    example: 'SingleTenant',
    schema: z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])
      .optional()
      .transform((v) => v ?? 'MultiTenant'),
  },
  MicrosoftAppTenantId: {
    expects: 'the bot registration tenant id (SingleTenant/MSI)',
    example: '00000000-0000-0000-0000-000000000000',
    schema: optionalText,
  },
  ALLOWED_TENANT_IDS: {
    expects: 'comma-separated tenant GUIDs',
    example: '00000000-0000-0000-0000-000000000000',
    schema: csvIds,
  },
  ALLOWED_CHANNEL_IDS: {
    expects: 'comma-separated Bot Framework channel ids (default msteams)',
    example: 'msteams',
    schema: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[a-z0-9-]{1,32}$/)))
      .transform((ids) => (ids.length > 0 ? ids : ['msteams'])),
  },
  HELPDESK_GROUP_IDS: {
    expects: 'comma-separated Entra group GUIDs of technicians',
    example: '33333333-3333-3333-3333-333333333333',
    schema: csvIds,
  },
  ADMIN_GROUP_IDS: {
    expects: 'comma-separated Entra group GUIDs of helpdesk admins',
    example: '44444444-4444-4444-4444-444444444444',
    schema: csvIds,
  },
  RESET_PLATFORMS: {
    expects: `a comma-separated list of ${RESET_PLATFORM_KEYS.join(', ')} (default: all of them)`,
    example: 'windows10Mobile,androidPersonalWorkProfile,ios',
    schema: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v?.trim()) return [...RESET_PLATFORM_KEYS];
        const keys = platformKeys(v);
        if (keys) return keys;
        ctx.addIssue({ code: 'custom', message: 'unknown platform' });
        return z.NEVER;
      }),
  },
  APPROVAL: {
    expects: `'off', 'all' or a comma-separated list of ${RESET_PLATFORM_KEYS.join(', ')} whose resets need a second person's approval`,
    example: 'all',
    schema: z
      .string()
      .optional()
      .transform((v, ctx): ApprovalSetting => {
        const text = (v ?? '').trim();
        if (text === '' || text.toLowerCase() === 'off') return 'off';
        if (text.toLowerCase() === 'all') return 'all';
        const keys = platformKeys(text);
        if (keys) return keys;
        ctx.addIssue({ code: 'custom', message: 'unknown platform' });
        return z.NEVER;
      }),
  },
  APPROVER_GROUP_IDS: {
    expects:
      'comma-separated Entra group GUIDs whose members may approve (default: ADMIN_GROUP_IDS)',
    example: '44444444-4444-4444-4444-444444444444',
    schema: csvIds,
  },
  APPROVAL_EXPIRY_MINUTES: {
    expects: 'minutes 1-10080 a reset waits for approval before it expires',
    example: '60',
    schema: intIn(1, 10080, 60),
  },
  TICKET_REQUIRED: {
    expects: "'true' to require a ticket reference on every reset, or 'false'",
    example: 'true',
    schema: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true'),
  },
  TICKET_PATTERN: {
    expects: 'a regular expression every ticket reference must match',
    example: '^(INC|RITM)\\d{7}$',
    schema: optionalText.refine((v) => v === undefined || isRegExp(v)),
  },
  TICKET_URL_TEMPLATE: {
    expects: 'an https URL with {ticket} where the ticket reference goes',
    example:
      'https://contoso.service-now.com/nav_to.do?uri=incident.do?sysparm_query=number={ticket}',
    schema: optionalText.refine(
      (v) =>
        v === undefined || (v.includes('{ticket}') && isHttpsUrl(v.replaceAll('{ticket}', 'T'))),
    ),
  },
  PASSCODE_VISIBLE_MINUTES: {
    expects: 'minutes 1-1440 before a delivered passcode is hidden',
    example: '10',
    schema: intIn(1, 1440, 10),
  },
  PENDING_ACTION_MINUTES: {
    expects: 'minutes 1-120 a confirm card stays valid',
    example: '15',
    schema: intIn(1, 120, 15),
  },
  STALE_DEVICE_DAYS: {
    expects: 'days 1-365 without a check-in before a device is flagged as stale',
    example: '7',
    schema: intIn(1, 365, 7),
  },
  RESETS_PER_TECHNICIAN_PER_HOUR: {
    expects: 'an integer 1-1000',
    example: '10',
    schema: intIn(1, 1000, 10),
  },
  RESETS_PER_TENANT_PER_MINUTE: {
    expects: 'an integer 1-300 (Intune allows 600 writes a minute per app)',
    example: '60',
    schema: intIn(1, 300, 60),
  },
  REMINDER_AFTER_MINUTES: {
    expects: 'minutes 1-10080 before a "still pending" reminder',
    example: '60',
    schema: intIn(1, 10080, 60),
  },
  RESET_TIMEOUT_MINUTES: {
    expects: 'minutes 2-20160 before a pending reset times out',
    example: '4320',
    schema: intIn(2, 20160, 4320),
  },
  TRACKER_INTERVAL_SECONDS: {
    expects: 'seconds 1-3600 between the first checks of a new reset',
    example: '5',
    schema: intIn(1, 3600, 5),
  },
  TURN_DEADLINE_SECONDS: {
    expects:
      'seconds 0.1-12 a card press or command waits for Graph before answering "working on it" (Teams drops a turn after ~15 s)',
    example: '5',
    schema: numberIn(0.1, 12, 5),
  },
  TURN_BACKGROUND_SECONDS: {
    expects:
      'seconds 1-600 a late card press or command may still finish and update its card before it says to try again',
    example: '120',
    schema: numberIn(1, 600, 120),
  },
  HELPDESK_CHANNEL_ID: {
    expects: 'a Teams channel conversation id for notifications',
    example: '19:abc@thread.tacv2',
    schema: optionalText,
  },
  HELPDESK_SERVICE_URL: {
    expects: 'the Bot Framework service URL for that channel',
    example: 'https://smba.trafficmanager.net/teams/',
    schema: optionalText,
  },
  LOG_LEVEL: {
    expects: "'fatal', 'error', 'warn', 'info', 'debug' or 'silent'",
    example: 'info',
    schema: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .optional()
      .transform((v) => v ?? 'info'),
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    expects: 'an Application Insights connection string',
    example: 'InstrumentationKey=...',
    schema: optionalText,
  },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> } & {
  /** Derived: the bot accepts unauthenticated local traffic (no app id). */
  localDevelopment: boolean;
  /** Derived: Graph is on loopback and no Graph credentials are set. */
  graphDevToken: boolean;
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    line: string,
  ) {
    super(line);
    this.name = 'ConfigError';
  }
}

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(settings) as [string, Setting<unknown>][]) {
    const raw = env[name];
    const parsed = setting.schema.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      throw new ConfigError(
        name,
        `Setting ${name} is invalid${raw === undefined ? '' : ` ("${mask(name, raw)}")`}: expected ${setting.expects}, for example ${name}=${setting.example}`,
      );
    }
    out[name] = parsed.data;
  }
  const config = out as Config;
  const hasGraphCredentials =
    !!config.AZURE_CLIENT_SECRET ||
    !!config.AZURE_CLIENT_CERTIFICATE_PATH ||
    config.AZURE_USE_MANAGED_IDENTITY;
  if (
    (config.AZURE_CLIENT_SECRET || config.AZURE_CLIENT_CERTIFICATE_PATH) &&
    !(config.AZURE_TENANT_ID && config.AZURE_CLIENT_ID)
  ) {
    throw new ConfigError(
      'AZURE_CLIENT_ID',
      `Setting AZURE_CLIENT_ID and AZURE_TENANT_ID are required with a Graph secret or certificate: expected GUIDs, for example AZURE_CLIENT_ID=${settings.AZURE_CLIENT_ID.example}`,
    );
  }
  if (
    config.MicrosoftAppId &&
    !config.MicrosoftAppPassword &&
    config.MicrosoftAppType !== 'UserAssignedMSI'
  ) {
    throw new ConfigError(
      'MicrosoftAppPassword',
      `Setting MicrosoftAppPassword is missing: expected ${settings.MicrosoftAppPassword.expects} when MicrosoftAppId is set, for example MicrosoftAppPassword=(secret)`,
    );
  }
  if (
    config.STORAGE === 'blob' &&
    !config.AZURE_STORAGE_CONNECTION_STRING &&
    !config.AZURE_STORAGE_ACCOUNT_URL
  ) {
    throw new ConfigError(
      'AZURE_STORAGE_CONNECTION_STRING',
      `Setting AZURE_STORAGE_CONNECTION_STRING is missing: expected ${settings.AZURE_STORAGE_CONNECTION_STRING.expects} (or AZURE_STORAGE_ACCOUNT_URL) when STORAGE=blob, for example AZURE_STORAGE_CONNECTION_STRING=${settings.AZURE_STORAGE_CONNECTION_STRING.example}`,
    );
  }
  if (config.REMINDER_AFTER_MINUTES >= config.RESET_TIMEOUT_MINUTES) {
    throw new ConfigError(
      'REMINDER_AFTER_MINUTES',
      `Setting REMINDER_AFTER_MINUTES is invalid: expected fewer minutes than RESET_TIMEOUT_MINUTES (${config.RESET_TIMEOUT_MINUTES}), for example REMINDER_AFTER_MINUTES=60`,
    );
  }
  // Unset, the admins approve (documented as the default of APPROVER_GROUP_IDS).
  if (config.APPROVER_GROUP_IDS.length === 0) config.APPROVER_GROUP_IDS = config.ADMIN_GROUP_IDS;
  config.localDevelopment = !config.MicrosoftAppId;
  config.graphDevToken = !hasGraphCredentials && isLoopbackUrl(config.GRAPH_BASE_URL);
  if (!hasGraphCredentials && !config.graphDevToken && config.GRAPH_AUTH === 'app') {
    throw new ConfigError(
      'AZURE_CLIENT_ID',
      `Graph credentials are missing for ${config.GRAPH_BASE_URL}: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_USE_MANAGED_IDENTITY=true), for example AZURE_CLIENT_ID=${settings.AZURE_CLIENT_ID.example}`,
    );
  }
  return config;
}

const SECRET_NAMES = /PASSWORD|SECRET|CONNECTION_STRING/i;
function mask(name: string, raw: string): string {
  if (SECRET_NAMES.test(name)) return '***';
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
}

/** For docs and tests: the names, expectations and examples of every setting. */
export const SETTING_DOCS = Object.fromEntries(
  Object.entries(settings).map(([k, s]) => [k, { expects: s.expects, example: s.example }]),
);
