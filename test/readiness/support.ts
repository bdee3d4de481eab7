import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { loadConfig, type Config } from '../../src/config';
import type { EmulatorHandle, TenantData } from '../../src/emulator/api';
import { readTenantFile, startEmulator } from '../../src/emulator/server';
import { DevTokenSource, type TokenSource } from '../../src/intune/credentials';
import { GraphIntune } from '../../src/intune/graphIntune';
import type { BotCredentialSettings } from '../../src/readiness/botCheck';
import { readinessText, READINESS_LOCALES } from '../../src/readiness/messages';
import type { ReadinessItem, ReadinessReport } from '../../src/readiness/report';

export { readTenantFile };

/** An unsigned JWT with this payload (header and signature are never read). */
export function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** The settings a test deployment would have, on top of a loopback Graph and a temp DATA_DIR. */
export function testConfig(env: Record<string, string | undefined>): Config {
  // A loopback Graph needs no credentials; the port is never called unless a test says so.
  return loadConfig({ LOG_LEVEL: 'silent', GRAPH_BASE_URL: 'http://127.0.0.1:9', ...env });
}

/** Intune on a loopback Graph with the given token (the dev token by default), without back-off. */
export function loopbackIntune(baseUrl: string, tokenSource?: TokenSource): GraphIntune {
  return new GraphIntune({
    baseUrl,
    tokenSource: tokenSource ?? new DevTokenSource(baseUrl),
    maxRetries: 0,
    retryDelaySeconds: 0,
    requestTimeoutMs: 5000,
  });
}

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'passcode-desk-readiness-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Starts the emulator on a copy of the demo tenant, edited first when asked. */
export async function emulatorWith(edit?: (tenant: TenantData) => void): Promise<EmulatorHandle> {
  const tenant = readTenantFile();
  edit?.(tenant);
  return startEmulator({ tenant });
}

export function byId(report: ReadinessReport, id: string): ReadinessItem {
  const found = report.items.find((entry) => entry.id === id);
  if (!found) throw new Error(`No item ${id} in ${report.items.map((i) => i.id).join(', ')}`);
  return found;
}

/** Every title and fix renders in both languages with all its parameters filled. */
export function assertFullyRendered(report: ReadinessReport): void {
  for (const entry of report.items) {
    for (const locale of READINESS_LOCALES) {
      for (const key of [entry.titleKey, entry.fixKey]) {
        const text = readinessText(locale, key, entry.params);
        if (text === key) throw new Error(`${entry.id}: no message for ${key}`);
        if (text.includes('…'))
          throw new Error(`${entry.id}: ${key} (${locale}) lacks a parameter: ${text}`);
      }
    }
  }
}

/** A hand-written credential: records what it was built from and asked, answers as told. */
export class RecordingBotCredential implements TokenCredential {
  readonly built: BotCredentialSettings[] = [];
  readonly scopes: string[] = [];

  constructor(private readonly answer: 'token' | 'null' | 'hang' | Error) {}

  readonly factory = (settings: BotCredentialSettings): TokenCredential => {
    this.built.push(settings);
    return this;
  };

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.scopes.push(String(scopes));
    if (this.answer === 'hang') {
      // Ends only when the check gives up and aborts.
      return new Promise((_, reject) =>
        options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    }
    if (this.answer === 'null') return Promise.resolve(null);
    if (this.answer instanceof Error) return Promise.reject(this.answer);
    return Promise.resolve({
      token: unsignedJwt({ aud: 'https://api.botframework.com' }),
      expiresOnTimestamp: Date.now() + 3_600_000,
    });
  }
}
