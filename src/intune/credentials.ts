import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { isLoopbackUrl, type Config } from '../config';

/** Where the bearer token for a Graph request comes from. */
export interface TokenSource {
  /** The token (without "Bearer ") for a request to `url`. */
  getToken(url: string): Promise<string>;
}

/** Thrown when no token can be had; its name becomes the IntuneError code. */
export class TokenAcquisitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenAcquisitionError';
  }
}

/** The fixed token sent to a local emulator. Not a secret: it opens nothing but loopback. */
export const DEV_GRAPH_TOKEN = 'passcode-desk-dev-token';

const NATIONAL_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
]);

/** `https://graph.microsoft.com/.default`, or the national cloud's own Graph scope. */
export function graphScope(baseUrl: string): string {
  const { protocol, hostname } = new URL(baseUrl);
  return protocol === 'https:' && NATIONAL_GRAPH_HOSTS.has(hostname)
    ? `https://${hostname}/.default`
    : 'https://graph.microsoft.com/.default';
}

/** A token given to us, e.g. the technician's own delegated token for one request. */
export class StaticTokenSource implements TokenSource {
  readonly #token: string;

  constructor(token: string) {
    if (!token.trim()) throw new TokenAcquisitionError('An empty token was given');
    this.#token = token.trim().replace(/^Bearer\s+/i, '');
  }

  async getToken(): Promise<string> {
    return this.#token;
  }
}

/** The development token, only ever for a loopback Graph (checked at construction and per request). */
export class DevTokenSource implements TokenSource {
  constructor(baseUrl: string) {
    if (!isLoopbackUrl(baseUrl)) {
      throw new TokenAcquisitionError(
        `The development Graph token is only for a loopback Graph, not ${new URL(baseUrl).origin}`,
      );
    }
  }

  async getToken(url: string): Promise<string> {
    if (!isLoopbackUrl(url)) {
      throw new TokenAcquisitionError(
        `Refusing to send the development Graph token to ${new URL(url).origin}`,
      );
    }
    return DEV_GRAPH_TOKEN;
  }
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/** An @azure/identity credential, with the current token kept until shortly before it expires. */
export class CredentialTokenSource implements TokenSource {
  #cached?: { token: string; refreshAt: number };
  #pending?: Promise<string>;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
  ) {}

  async getToken(): Promise<string> {
    if (this.#cached && Date.now() < this.#cached.refreshAt) return this.#cached.token;
    // One refresh at a time: concurrent requests share it.
    this.#pending ??= this.#refresh().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #refresh(): Promise<string> {
    let token;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (error) {
      throw new TokenAcquisitionError(
        `Could not get a Graph token: ${(error as Error).message ?? String(error)}`,
      );
    }
    if (!token)
      throw new TokenAcquisitionError('Could not get a Graph token: the credential returned none');
    const refreshAt = token.refreshAfterTimestamp ?? token.expiresOnTimestamp - REFRESH_MARGIN_MS;
    this.#cached = { token: token.token, refreshAt };
    return token.token;
  }
}

export type GraphCredentialSettings = Pick<
  Config,
  | 'GRAPH_BASE_URL'
  | 'AZURE_TENANT_ID'
  | 'AZURE_CLIENT_ID'
  | 'AZURE_CLIENT_SECRET'
  | 'AZURE_CLIENT_CERTIFICATE_PATH'
  | 'AZURE_USE_MANAGED_IDENTITY'
  | 'graphDevToken'
>;

/**
 * The application's own Graph token source, picked by which settings are present:
 * a client secret, a certificate, a managed identity, or (loopback only) the dev token.
 */
export function createTokenSource(config: GraphCredentialSettings): TokenSource {
  const scope = graphScope(config.GRAPH_BASE_URL);
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId } = config;
  if (config.AZURE_CLIENT_SECRET) {
    if (!tenantId || !clientId)
      throw new TokenAcquisitionError(
        'AZURE_TENANT_ID and AZURE_CLIENT_ID are required with AZURE_CLIENT_SECRET',
      );
    return new CredentialTokenSource(
      new ClientSecretCredential(tenantId, clientId, config.AZURE_CLIENT_SECRET),
      scope,
    );
  }
  if (config.AZURE_CLIENT_CERTIFICATE_PATH) {
    if (!tenantId || !clientId)
      throw new TokenAcquisitionError(
        'AZURE_TENANT_ID and AZURE_CLIENT_ID are required with AZURE_CLIENT_CERTIFICATE_PATH',
      );
    return new CredentialTokenSource(
      new ClientCertificateCredential(tenantId, clientId, config.AZURE_CLIENT_CERTIFICATE_PATH),
      scope,
    );
  }
  if (config.AZURE_USE_MANAGED_IDENTITY) {
    // With AZURE_CLIENT_ID set, that user-assigned identity; otherwise the system-assigned one.
    const credential = clientId
      ? new ManagedIdentityCredential({ clientId })
      : new ManagedIdentityCredential();
    return new CredentialTokenSource(credential, scope);
  }
  if (config.graphDevToken) return new DevTokenSource(config.GRAPH_BASE_URL);
  throw new TokenAcquisitionError(
    `No Graph credentials for ${new URL(config.GRAPH_BASE_URL).origin}: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_USE_MANAGED_IDENTITY`,
  );
}
