import { ConfigError, isLoopbackUrl, loadConfig, type Config } from '../config';

/**
 * What `npm start` does, decided from the environment alone:
 * - nothing that connects to Teams or Graph is set → the offline demo
 *   (emulator + bot + Agents Playground);
 * - any such setting → the bot alone, exactly as `npm run start:bot` would run it,
 *   never the demo; half-set or invalid settings → the one-line config error.
 */
export type StartMode =
  | { kind: 'demo' }
  | { kind: 'bot'; config: Config; because: string[] }
  | { kind: 'error'; message: string };

/** Settings that mean "talk to something real" (or to a Graph the user started). */
const CONNECTION_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USE_MANAGED_IDENTITY',
  'GRAPH_BASE_URL',
] as const;

export function chooseStartMode(env: NodeJS.ProcessEnv): StartMode {
  const because = CONNECTION_SETTINGS.filter((name) => {
    const value = env[name]?.trim();
    if (!value) return false;
    return name === 'AZURE_USE_MANAGED_IDENTITY' ? value !== 'false' : true;
  });
  if (because.length === 0) return { kind: 'demo' };
  try {
    return { kind: 'bot', config: loadConfig(env), because };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** One line saying what runs and why, e.g. for a real tenant or a user-started emulator. */
export function describeBotMode(mode: Extract<StartMode, { kind: 'bot' }>): string {
  const graph = mode.config.GRAPH_BASE_URL;
  const target = isLoopbackUrl(graph)
    ? `the Graph at ${graph} (loopback: dev token)`
    : `Microsoft Graph at ${graph}`;
  return (
    `Settings found (${mode.because.join(', ')}): starting the bot alone against ${target}, ` +
    `authentication ${mode.config.MicrosoftAppId ? 'on' : 'off (local development)'}. ` +
    'The offline demo runs only when none of these are set.'
  );
}
