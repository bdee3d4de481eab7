import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationConstants } from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';

/**
 * A loopback stand-in for the Bot Framework token issuer: an OpenID configuration and a
 * JWKS with one RSA key, installed into the SDK's own metadata cache so the real
 * CloudAdapter validates tokens against it without going to the internet. It mints
 * tokens signed with its key (what the Bot Connector would send) and lets tests bend
 * every claim and the header to forge the rest.
 */
export const CHANNEL_ISSUER = AuthenticationConstants.ToBotFromChannelTokenIssuer;

interface MetadataCacheHolder {
  openIdMetadataCache: Map<string, unknown>;
}

const metadataCache = (): Map<string, unknown> =>
  (JwtTokenExtractor as unknown as MetadataCacheHolder).openIdMetadataCache;

const METADATA_URLS = [
  AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
];

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export interface TokenOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Sign with another key (a forger's), still naming the trusted key id. */
  signWith?: KeyObject;
  /** Replace the signature part verbatim ('' for alg=none). */
  signature?: string;
}

export class BotFrameworkIssuer {
  readonly keyId = `hostile-${randomUUID()}`;
  private readonly previous = new Map<string, unknown>();

  private constructor(
    private readonly server: Server,
    private readonly privateKey: KeyObject,
    readonly url: string,
  ) {}

  static async start(): Promise<BotFrameworkIssuer> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const holder: { issuer?: BotFrameworkIssuer } = {};
    const server = createServer((req, res) => {
      const base = holder.issuer?.url ?? '';
      const body =
        req.url === '/keys'
          ? { keys: [{ kty: 'RSA', use: 'sig', kid: holder.issuer?.keyId, n: jwk.n, e: jwk.e }] }
          : { issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys` };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new BotFrameworkIssuer(server, privateKey, `http://127.0.0.1:${port}`);
    holder.issuer = issuer;
    issuer.install();
    return issuer;
  }

  /** Points the SDK's (process-wide) metadata cache at this stand-in. */
  private install(): void {
    const cache = metadataCache();
    for (const url of METADATA_URLS) {
      this.previous.set(url, cache.get(url));
      cache.set(url, new OpenIdMetadata(`${this.url}/openid`));
    }
  }

  /** A token as the Bot Connector would send it for `appId` and `serviceUrl`, bent by `options`. */
  token(appId: string, serviceUrl: string, options: TokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId, ...options.header };
    const claims = {
      iss: CHANNEL_ISSUER,
      aud: appId,
      serviceurl: serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + 3600,
      ...options.claims,
    };
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    if (options.signature !== undefined) return `${unsigned}.${options.signature}`;
    const signer = createSign('RSA-SHA256');
    signer.update(unsigned);
    return `${unsigned}.${base64url(signer.sign(options.signWith ?? this.privateKey))}`;
  }

  async close(): Promise<void> {
    const cache = metadataCache();
    for (const [url, metadata] of this.previous) {
      if (metadata === undefined) cache.delete(url);
      else cache.set(url, metadata);
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** A key no trusted party holds. */
export function forgerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
