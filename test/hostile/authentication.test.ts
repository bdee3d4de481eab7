import assert from 'node:assert/strict';
import { personalChat } from '../support/teamsActivities';
import { cardText, DEMO_TENANT, PEOPLE, type TeamsHarness } from '../support/teamsHarness';
import { BotFrameworkIssuer, forgerKey, type TokenOptions } from './support/botFrameworkIssuer';
import { assertLogsWellFormed, graphWrites, startHostile } from './support/hostileHarness';

/**
 * With MicrosoftAppId set, every request needs a Bot Framework token the real
 * CloudAdapter accepts. The issuer stand-in makes the SDK check tokens against a
 * loopback JWKS, so a token signed by it is genuine and everything else is forged.
 */
const APP_ID = '22222222-2222-2222-2222-222222222222';
const now = (): number => Math.floor(Date.now() / 1000);

interface TokenCase {
  name: string;
  authorization(issuer: BotFrameworkIssuer, serviceUrl: string): string | undefined;
}

const bearer = (token: string): string => `Bearer ${token}`;
const token = (options: TokenOptions) => (issuer: BotFrameworkIssuer, serviceUrl: string) =>
  bearer(issuer.token(APP_ID, serviceUrl, options));

const CASES: TokenCase[] = [
  { name: 'no Authorization header', authorization: () => undefined },
  { name: 'a token that is no JWT', authorization: () => bearer('not.a.jwt') },
  {
    name: 'Basic credentials instead of a bearer token',
    authorization: () => `Basic ${Buffer.from(`${APP_ID}:guess`).toString('base64')}`,
  },
  {
    name: 'a forged signature (attacker key, the trusted key id)',
    authorization: token({ signWith: forgerKey() }),
  },
  {
    name: 'an expired token',
    authorization: token({ claims: { exp: now() - 3600, nbf: now() - 7200, iat: now() - 7200 } }),
  },
  {
    name: 'alg=none with no signature',
    authorization: token({ header: { alg: 'none' }, signature: '' }),
  },
  {
    name: 'HS256 (algorithm confusion with the public key)',
    authorization: token({ header: { alg: 'HS256' }, signature: 'c2lnbmF0dXJl' }),
  },
  {
    name: 'a genuine token for another bot (audience)',
    authorization: token({ claims: { aud: '33333333-3333-3333-3333-333333333333' } }),
  },
  {
    name: 'a token from an issuer that is not the Bot Framework',
    authorization: token({ claims: { iss: 'https://sts.evil.example/' } }),
  },
  {
    name: 'a genuine token bound to another service URL',
    authorization: token({ claims: { serviceurl: 'https://smba.evil.example/teams/' } }),
  },
  {
    name: 'a token that is not valid yet (nbf an hour ahead)',
    authorization: token({ claims: { nbf: now() + 3600, iat: now() + 3600 } }),
  },
  {
    name: 'a token naming a signing key nobody published',
    authorization: token({ header: { kid: 'attacker-key' } }),
  },
  {
    name: 'an audience claim carrying a forged log line and terminal escapes (log injection)',
    authorization: token({
      claims: { aud: `${APP_ID}\n{"level":30,"msg":"admin signed in"}\u001b[2J\u001b[31m` },
    }),
  },
];

describe('hostile: authentication with MicrosoftAppId set (real server, issuer stand-in)', function () {
  this.timeout(30_000);
  let issuer: BotFrameworkIssuer;
  let h: TeamsHarness;

  before(async () => {
    issuer = await BotFrameworkIssuer.start();
    h = await startHostile({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: DEMO_TENANT.tenantId,
      },
    });
  });
  after(async () => {
    await h?.close();
    await issuer?.close();
  });

  /** A press on Megan's card for a pending action (an unknown verb: answered in the HTTP reply). */
  function press(): Record<string, unknown> {
    return h.activities.invoke(
      PEOPLE.megan,
      personalChat(PEOPLE.megan),
      'confirm',
      { pendingActionId: 'AAAAAAAAAAAAAAAAAAAAAA' },
      'm-1',
    );
  }

  /** /healthz answers and a genuine token still gets the bot's answer. */
  async function assertStillServing(): Promise<void> {
    assert.equal((await fetch(`${h.app.url}/healthz`)).status, 200);
    const result = await h.post(press(), {
      authorization: bearer(issuer.token(APP_ID, h.activities.serviceUrl)),
    });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const card = (result.body as { value?: unknown }).value;
    assert.match(cardText(card), /This button is no longer valid/);
  }

  it('control: a genuine Bot Framework token is accepted (so the refusals below are about the token)', async () => {
    await assertStillServing();
  });

  it('an expired token: the SDK refusal goes to the JSON log as one line, nothing to the console', async () => {
    const printed: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const logsBefore = h.logs.length;
    try {
      const expired = token({
        claims: { exp: now() - 3600, nbf: now() - 7200, iat: now() - 7200 },
      });
      const authorization = expired(issuer, h.activities.serviceUrl);
      const result = await h.post(press(), { authorization });
      assert.equal(result.status, 401);
      assert.deepEqual(printed, [], 'no console line (stack traces) from the SDK');
      const sdkLines = h.logs.slice(logsBefore).filter((line) => /Bot Framework SDK/.test(line));
      assert.ok(sdkLines.length > 0, 'logged as JSON instead');
      for (const line of sdkLines) {
        assert.ok(!line.includes(authorization!.slice(7, 40)), 'no token in the log');
        assert.ok(!/\n\s+at /.test(JSON.parse(line).sdk?.message ?? ''), 'no stack');
      }
      assertLogsWellFormed(h);
    } finally {
      process.stderr.write = write;
    }
  });

  for (const c of CASES) {
    it(`refuses ${c.name} with 401, processes nothing`, async () => {
      const graphBefore = h.emulator.requests.length;
      const connectorBefore = h.connector.requests.length;
      const auditBefore = (await h.app.stores.audit.recent(1000)).length;
      const authorization = c.authorization(issuer, h.activities.serviceUrl);
      const result = await h.post(press(), authorization ? { authorization } : {});
      assert.equal(result.status, 401, JSON.stringify(result.body));
      const body = JSON.stringify(result.body ?? '');
      assert.ok(!authorization || !body.includes(authorization.slice(7, 40)), 'no token echoed');
      assert.equal(h.emulator.requests.length, graphBefore, 'no Graph call at all');
      assert.equal(h.connector.requests.length, connectorBefore, 'no answer to anyone');
      assert.equal((await h.app.stores.audit.recent(1000)).length, auditBefore, 'no domain call');
      assert.deepEqual(graphWrites(h), []);
      assertLogsWellFormed(h);
      const forged = h.logs.filter((line) => JSON.parse(line).msg === 'admin signed in');
      assert.deepEqual(forged, [], 'no forged log line');
      await assertStillServing();
    });
  }
});
