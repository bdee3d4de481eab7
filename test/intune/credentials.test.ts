import assert from 'node:assert/strict';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from '@azure/identity';
import {
  CredentialTokenSource,
  DEV_GRAPH_TOKEN,
  DevTokenSource,
  StaticTokenSource,
  TokenAcquisitionError,
  createTokenSource,
  graphScope,
  type GraphCredentialSettings,
} from '../../src/intune/credentials';

const base: GraphCredentialSettings = {
  GRAPH_BASE_URL: 'https://graph.microsoft.com',
  AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000000',
  AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
  AZURE_CLIENT_SECRET: undefined,
  AZURE_CLIENT_CERTIFICATE_PATH: undefined,
  AZURE_USE_MANAGED_IDENTITY: false,
  graphDevToken: false,
};

/** A recording credential: counts calls, hands out numbered tokens. */
class CountingCredential implements TokenCredential {
  calls = 0;
  scopes: string[] = [];
  constructor(private readonly lifetimeMs: number) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.calls++;
    this.scopes.push(String(scopes));
    return { token: `token-${this.calls}`, expiresOnTimestamp: Date.now() + this.lifetimeMs };
  }
}

describe('intune/credentials', () => {
  it('uses the Graph .default scope (and a national cloud its own)', () => {
    assert.equal(graphScope('https://graph.microsoft.com'), 'https://graph.microsoft.com/.default');
    assert.equal(graphScope('https://graph.microsoft.us'), 'https://graph.microsoft.us/.default');
    assert.equal(graphScope('http://127.0.0.1:4000'), 'https://graph.microsoft.com/.default');
  });

  it('gives the dev token to a loopback Graph', async () => {
    const source = new DevTokenSource('http://127.0.0.1:4000');
    assert.equal(await source.getToken('http://127.0.0.1:4000/v1.0/x'), DEV_GRAPH_TOKEN);
    assert.equal(
      await new DevTokenSource('http://localhost:4000').getToken('http://localhost:4000/beta/x'),
      DEV_GRAPH_TOKEN,
    );
  });

  it('refuses to build the dev token source for a non-loopback Graph', () => {
    for (const url of [
      'https://graph.microsoft.com',
      'http://10.0.0.5:4000',
      'http://127.0.0.1.nip.io',
    ]) {
      assert.throws(() => new DevTokenSource(url), TokenAcquisitionError, url);
    }
  });

  it('refuses to hand the dev token for a request to a non-loopback address', async () => {
    const source = new DevTokenSource('http://127.0.0.1:4000');
    await assert.rejects(
      source.getToken('https://graph.microsoft.com/v1.0/me'),
      TokenAcquisitionError,
    );
  });

  it('never builds a dev token source for non-loopback Graph, even if the config claims graphDevToken', () => {
    assert.throws(() => createTokenSource({ ...base, graphDevToken: true }), TokenAcquisitionError);
    assert.throws(() => createTokenSource({ ...base }), TokenAcquisitionError);
  });

  it('picks the credential by which settings are present', () => {
    const secret = createTokenSource({
      ...base,
      AZURE_CLIENT_SECRET: 'x',
    }) as CredentialTokenSource;
    const cert = createTokenSource({
      ...base,
      AZURE_CLIENT_CERTIFICATE_PATH: '/secrets/graph.pem',
    }) as CredentialTokenSource;
    const msi = createTokenSource({
      ...base,
      AZURE_USE_MANAGED_IDENTITY: true,
    }) as CredentialTokenSource;
    const credentialOf = (s: CredentialTokenSource) =>
      (s as unknown as { credential: TokenCredential }).credential;
    assert.ok(credentialOf(secret) instanceof ClientSecretCredential);
    assert.ok(credentialOf(cert) instanceof ClientCertificateCredential);
    assert.ok(credentialOf(msi) instanceof ManagedIdentityCredential);
    assert.ok(
      createTokenSource({
        ...base,
        GRAPH_BASE_URL: 'http://127.0.0.1:4000',
        graphDevToken: true,
      }) instanceof DevTokenSource,
    );
  });

  it('keeps a token until shortly before it expires, and shares one refresh', async () => {
    const long = new CountingCredential(60 * 60_000);
    const source = new CredentialTokenSource(long, 'https://graph.microsoft.com/.default');
    const tokens = await Promise.all([source.getToken(), source.getToken(), source.getToken()]);
    assert.deepEqual(tokens, ['token-1', 'token-1', 'token-1']);
    assert.equal(await source.getToken(), 'token-1');
    assert.deepEqual(long.scopes, ['https://graph.microsoft.com/.default']);

    const short = new CountingCredential(60_000); // inside the refresh margin: refreshed every time
    const refreshing = new CredentialTokenSource(short, 'https://graph.microsoft.com/.default');
    assert.equal(await refreshing.getToken(), 'token-1');
    assert.equal(await refreshing.getToken(), 'token-2');
  });

  it('reports a credential failure as TokenAcquisitionError', async () => {
    const failing: TokenCredential = {
      getToken: async () => Promise.reject(new Error('AADSTS7000215: Invalid client secret')),
    };
    await assert.rejects(new CredentialTokenSource(failing, 's').getToken(), TokenAcquisitionError);
  });

  it('uses a given delegated token as is (without a Bearer prefix)', async () => {
    assert.equal(await new StaticTokenSource('Bearer user-token').getToken(), 'user-token');
    assert.throws(() => new StaticTokenSource(' '), TokenAcquisitionError);
  });
});
