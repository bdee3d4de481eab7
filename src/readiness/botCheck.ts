import {
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { Config } from '../config';
import { errorDetail, withTimeout } from './errorDetail';
import { item, type ReadinessItem } from './report';

export type BotAppSettings = Pick<
  Config,
  'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'
>;

/** What a credential for the bot's own identity is built from. */
export interface BotCredentialSettings {
  appType: Config['MicrosoftAppType'];
  appId: string;
  /** The authority tenant: MicrosoftAppTenantId, or 'botframework.com' for MultiTenant. */
  tenantId: string;
  /** Absent for UserAssignedMSI. */
  password?: string;
}

/** Builds the credential; injected by tests so they never leave loopback. */
export type BotCredentialFactory = (settings: BotCredentialSettings) => TokenCredential;

export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';
const MULTI_TENANT_AUTHORITY = 'botframework.com';

/** The credential botbuilder itself would use for the same settings. */
export const defaultBotCredential: BotCredentialFactory = (settings) =>
  settings.appType === 'UserAssignedMSI'
    ? new ManagedIdentityCredential({ clientId: settings.appId })
    : new ClientSecretCredential(settings.tenantId, settings.appId, settings.password ?? '');

const TITLE_KEY = 'readiness.check.bot.registration';

/**
 * The bot's registration works when its identity can get a Bot Framework token; without
 * MicrosoftAppId the bot runs unauthenticated (local development, loopback only).
 */
export async function botRegistrationItem(
  settings: BotAppSettings,
  timeoutMs: number,
  factory: BotCredentialFactory = defaultBotCredential,
): Promise<ReadinessItem> {
  const appId = settings.MicrosoftAppId;
  const appType = settings.MicrosoftAppType;
  if (!appId) {
    return item(
      'bot.registration',
      'bot',
      'warn',
      { titleKey: TITLE_KEY, fixKey: 'readiness.fix.bot.localDevelopment' },
      'local development: unauthenticated, loopback only',
    );
  }
  const managed = appType === 'UserAssignedMSI';
  // botbuilder ignores MicrosoftAppTenantId for MultiTenant and requires it otherwise.
  const tenantId =
    appType === 'MultiTenant' ? MULTI_TENANT_AUTHORITY : (settings.MicrosoftAppTenantId ?? '');
  const params = { appId, appType, tenantId };
  const fixKey = managed ? 'readiness.fix.bot.managedIdentity' : 'readiness.fix.bot.secret';
  const fail = (key: string, detail: string): ReadinessItem =>
    item('bot.registration', 'bot', 'fail', { titleKey: TITLE_KEY, fixKey: key, params }, detail);

  if (!tenantId)
    return fail('readiness.fix.bot.tenantId', `MicrosoftAppTenantId is required with ${appType}`);
  if (managed && settings.MicrosoftAppPassword)
    return fail(
      'readiness.fix.bot.msiPassword',
      'MicrosoftAppPassword must be empty with UserAssignedMSI',
    );
  if (!managed && !settings.MicrosoftAppPassword)
    return fail(fixKey, `MicrosoftAppPassword is required with ${appType}`);

  const secrets = [settings.MicrosoftAppPassword];
  const abort = new AbortController();
  try {
    const credential = factory({
      appType,
      appId,
      tenantId,
      ...(managed ? {} : { password: settings.MicrosoftAppPassword as string }),
    });
    const token = await withTimeout(
      credential.getToken(BOT_FRAMEWORK_SCOPE, { abortSignal: abort.signal }),
      timeoutMs,
      'Bot Framework token',
    );
    if (!token?.token) return fail(fixKey, 'the credential returned no token');
  } catch (error) {
    abort.abort();
    return fail(fixKey, errorDetail(error, secrets));
  }
  return item(
    'bot.registration',
    'bot',
    'pass',
    { titleKey: TITLE_KEY, fixKey, params },
    `${appType}: Bot Framework token acquired`,
  );
}
