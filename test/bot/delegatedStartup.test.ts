import assert from 'node:assert/strict';
import { startApp } from '../../src/app';
import { parseCommand } from '../../src/bot/commands/parseCommand';
import { ConfigError, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { personalChat } from '../support/teamsActivities';
import { cardOf, cardText, PEOPLE, TeamsHarness } from '../support/teamsHarness';

const BOT_IDENTITY = {
  MicrosoftAppId: '22222222-2222-2222-2222-222222222222',
  MicrosoftAppPassword: 'not-a-real-secret',
};

describe('app: GRAPH_AUTH=delegated start-up, and app mode unchanged', function () {
  this.timeout(30_000);

  it('reads sign in / sign out in English and Traditional Chinese', () => {
    for (const text of [
      'sign in',
      'Sign In',
      'signin',
      'log in',
      'login',
      '登入',
      'please sign in',
    ]) {
      assert.deepEqual(parseCommand(text), { kind: 'signIn' }, text);
    }
    for (const text of ['sign out', 'signout', 'log out', 'Logout!', '登出', '請登出']) {
      assert.deepEqual(parseCommand(text), { kind: 'signOut' }, text);
    }
    assert.deepEqual(parseCommand('reset login'), { kind: 'reset', query: 'login' });
  });

  it('reads OAUTH_CONNECTION_NAME (default graph) and refuses a malformed one', () => {
    assert.equal(
      loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:1' }).OAUTH_CONNECTION_NAME,
      'graph',
    );
    assert.equal(
      loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:1', OAUTH_CONNECTION_NAME: ' intune-sso ' })
        .OAUTH_CONNECTION_NAME,
      'intune-sso',
    );
    assert.throws(
      () => loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:1', OAUTH_CONNECTION_NAME: 'a b/c' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'OAUTH_CONNECTION_NAME',
    );
  });

  it('will not start delegated mode without the bot identity its OAuth connection needs', async () => {
    const config = loadConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:1',
      GRAPH_AUTH: 'delegated',
      HOST: '127.0.0.1',
    });
    await assert.rejects(
      startApp(config, { logger: silentLogger }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'MicrosoftAppId',
    );
  });

  it('starts in delegated mode; /readyz counts a Graph that refuses the app identity as reachable', async () => {
    const h = await TeamsHarness.start({ env: { GRAPH_AUTH: 'delegated', ...BOT_IDENTITY } });
    try {
      h.emulator.fault(1, 403, /managedDevices/);
      const ready = await fetch(`${h.app.url}/readyz`);
      assert.equal(ready.status, 200, await ready.text());
      h.emulator.fault(1, 500, /managedDevices/);
      const down = await fetch(`${h.app.url}/readyz`);
      assert.equal(down.status, 503);
    } finally {
      await h.close();
    }
  });

  it('app mode: no sign-in, and sign in / sign out say so', async () => {
    const h = await TeamsHarness.start();
    try {
      const place = personalChat(PEOPLE.megan);
      for (const text of ['sign in', 'sign out']) {
        const replies = await h.say(h.activities.message(PEOPLE.megan, place, text));
        assert.match(cardText(cardOf(replies[0])), /No sign-in is needed/);
      }
      const help = await h.say(h.activities.message(PEOPLE.megan, place, 'help'));
      assert.doesNotMatch(cardText(cardOf(help[0])), /sign out/);
      h.emulator.fault(1, 403, /managedDevices/);
      const readiness = await fetch(`${h.app.url}/readyz`);
      assert.equal(readiness.status, 503, 'app mode needs its own Graph access');
    } finally {
      await h.close();
    }
  });
});
