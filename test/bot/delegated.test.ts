import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DEV_GRAPH_TOKEN } from '../../src/intune/credentials';
import { personalChat, groupChat } from '../support/teamsActivities';
import { cardText, DEMO_TENANT, executeActions, PEOPLE } from '../support/teamsHarness';
import { CONNECTION, DelegatedBotRig } from './delegatedRig';

const LEE_LUMIA = { id: DEMO_TENANT.devices.leeLumia650, serial: 'RM1152D2H7J3' };
const MEGAN_TOKEN = 'eyJ0eXAi.megan-delegated-token.c2lnbmF0dXJl';
const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

const attachmentOf = (activity: Partial<Activity> | undefined, contentType: string) =>
  activity?.attachments?.find((a) => a.contentType === contentType)?.content as
    Record<string, unknown> | undefined;
const oauthCardIn = (sent: Partial<Activity>[]) =>
  sent.map((a) => attachmentOf(a, OAUTH_CARD)).find(Boolean);
const adaptiveCardsIn = (sent: Partial<Activity>[]) =>
  sent.map((a) => attachmentOf(a, ADAPTIVE_CARD)).filter((c): c is Record<string, unknown> => !!c);

describe('bot: delegated mode (sign-in, the technician token on every Graph call)', function () {
  this.timeout(30_000);
  let rig: DelegatedBotRig;
  const megan = PEOPLE.megan;
  const place = personalChat(megan);

  beforeEach(async () => {
    rig = await DelegatedBotRig.start();
  });
  afterEach(async () => {
    await rig?.close();
  });

  const say = (text: string, where = place) => rig.send(rig.activities.message(megan, where, text));
  const signInInvoke = (name: string, value: Record<string, unknown>, where = place) => ({
    ...rig.activities.message(megan, where, ''),
    type: 'invoke',
    name,
    value,
    text: undefined,
  });

  /** `reset <serial>` → sign-in card → verifyState with the magic code → the results card. */
  async function signInAndSearch(): Promise<Record<string, unknown>> {
    const prompted = await say(`reset ${LEE_LUMIA.serial}`);
    assert.ok(oauthCardIn(prompted), 'the sign-in card');
    rig.adapter.addUserToken(CONNECTION, 'msteams', megan.id, MEGAN_TOKEN, '482913');
    const resumed = await rig.send(signInInvoke('signin/verifyState', { state: '482913' }));
    const response = resumed.find((a) => a.type === 'invokeResponse');
    assert.equal((response?.value as { status?: number })?.status, 200);
    const results = adaptiveCardsIn(resumed)[0];
    assert.ok(results, JSON.stringify(resumed));
    return results;
  }

  it('shows a sign-in card and calls no Graph at all before the technician signs in', async () => {
    const sent = await say(`reset ${LEE_LUMIA.serial}`);
    const card = oauthCardIn(sent);
    assert.ok(card, JSON.stringify(sent));
    assert.equal(card.connectionName, CONNECTION);
    assert.match(String(card.text), /Sign in with your work account/);
    assert.equal(adaptiveCardsIn(sent).length, 0);
    assert.deepEqual(rig.emulator.requests, []);

    const zh = await rig.send(rig.activities.message(megan, place, '狀態', { locale: 'zh-TW' }));
    assert.match(String(oauthCardIn(zh)?.text), /請用您的公司帳戶登入/);
    assert.deepEqual(rig.emulator.requests, []);
  });

  it('resumes the command after sign-in and carries the technician token to search, pick and the reset POST', async () => {
    const results = await signInAndSearch();
    assert.match(cardText(results), /LEE-LUMIA650/);
    assert.ok(rig.emulator.requests.some((r) => /managedDevices/.test(r.url)));
    assert.deepEqual(rig.authorizations(), new Set([`Bearer ${MEGAN_TOKEN}`]));

    const pick = executeActions(results).find((a) => a.verb === 'pick');
    assert.ok(pick, cardText(results));
    const picked = await rig.invoke(
      rig.activities.invoke(megan, place, 'pick', pick.data, 'results-1'),
    );
    const confirmCard = (picked.body as { value?: unknown }).value;
    const confirm = executeActions(confirmCard).find((a) => a.verb === 'confirm');
    assert.ok(confirm, JSON.stringify(picked));
    assert.ok(rig.emulator.requests.some((r) => r.url.includes(`/managedDevices/${LEE_LUMIA.id}`)));

    const confirmed = await rig.invoke(
      rig.activities.invoke(megan, place, 'confirm', confirm.data, 'confirm-1'),
    );
    assert.equal((confirmed.body as { statusCode?: number }).statusCode, 200);

    // The tracker submits later, with no user in the loop: the token comes from the token store.
    await rig.domain.tracker.runOnce();
    const post = rig.emulator.requests.find(
      (r) => r.method === 'POST' && r.url.endsWith(`/managedDevices/${LEE_LUMIA.id}/resetPasscode`),
    );
    assert.equal(post?.authorization, `Bearer ${MEGAN_TOKEN}`);
    assert.equal(rig.emulator.resetCalls(LEE_LUMIA.id), 1);
    assert.deepEqual(rig.authorizations(), new Set([`Bearer ${MEGAN_TOKEN}`]));
    assert.ok(![...rig.authorizations()].includes(`Bearer ${DEV_GRAPH_TOKEN}`));

    const written = await rig.everythingWritten();
    assert.ok(written.length > 0);
    assert.ok(
      !written.includes(MEGAN_TOKEN),
      'the token is in neither the SQLite file nor the logs',
    );
    assert.ok(!written.includes('megan-delegated-token'));
  });

  it('signs in with Teams SSO (signin/tokenExchange), once, however many clients send it', async () => {
    const prompted = await say('status');
    const card = oauthCardIn(prompted);
    const resource = card?.tokenExchangeResource as { id?: string } | undefined;
    assert.ok(resource?.id, JSON.stringify(card));
    rig.adapter.addExchangeableToken(
      CONNECTION,
      'msteams',
      megan.id,
      'teams-sso-token',
      MEGAN_TOKEN,
    );

    const exchange = signInInvoke('signin/tokenExchange', {
      id: resource.id,
      connectionName: CONNECTION,
      token: 'teams-sso-token',
    });
    const first = await rig.send(exchange);
    const second = await rig.send({ ...exchange, id: 'second-client' });
    for (const sent of [first, second]) {
      const responses = sent.filter((a) => a.type === 'invokeResponse');
      assert.equal(responses.length, 1, JSON.stringify(sent));
      assert.equal((responses[0]!.value as { status?: number }).status, 200);
    }
    const statusCards = [...first, ...second].filter((a) => attachmentOf(a, ADAPTIVE_CARD));
    assert.equal(statusCards.length, 1, 'the command runs once');
    assert.match(cardText(attachmentOf(statusCards[0], ADAPTIVE_CARD)), /recent resets|no resets/i);
    assert.deepEqual(rig.authorizations(), new Set([`Bearer ${MEGAN_TOKEN}`]));
  });

  it('answers a token Teams cannot exchange with 412, and nothing runs', async () => {
    const prompted = await say('status');
    const resource = oauthCardIn(prompted)?.tokenExchangeResource as { id?: string };
    const sent = await rig.send(
      signInInvoke('signin/tokenExchange', {
        id: resource.id,
        connectionName: CONNECTION,
        token: 'not-exchangeable',
      }),
    );
    const responses = sent.filter((a) => a.type === 'invokeResponse');
    assert.equal(responses.length, 1);
    assert.equal((responses[0]!.value as { status?: number }).status, 412);
    assert.equal(adaptiveCardsIn(sent).length, 0);
    assert.deepEqual(rig.emulator.requests, []);
  });

  it('signs a card press in through Universal Actions and runs that same press again', async () => {
    const results = await signInAndSearch();
    const pick = executeActions(results).find((a) => a.verb === 'pick')!;
    const signedOut = await say('sign out');
    assert.match(cardText(adaptiveCardsIn(signedOut)[0]), /You are signed out/);
    rig.emulator.resetRequests();

    const press = rig.activities.invoke(megan, place, 'pick', pick.data, 'results-1');
    const login = await rig.invoke(press);
    const body = login.body as {
      statusCode?: number;
      type?: string;
      value?: { connectionName?: string; buttons?: Array<{ type?: string; value?: string }> };
    };
    assert.equal(body.statusCode, 401);
    assert.equal(body.type, 'application/vnd.microsoft.activity.loginRequest');
    assert.equal(body.value?.connectionName, CONNECTION);
    assert.equal(body.value?.buttons?.[0]?.type, 'signin');
    assert.match(body.value?.buttons?.[0]?.value ?? '', /oauthsignin/);
    assert.deepEqual(rig.emulator.requests, [], 'no Graph call for a press without a token');

    // Teams sends the press again with the magic code of the finished sign-in.
    rig.adapter.addUserToken(CONNECTION, 'msteams', megan.id, MEGAN_TOKEN, '739105');
    const again = await rig.invoke({
      ...press,
      value: { ...(press.value as object), state: '739105' },
    });
    const card = (again.body as { statusCode?: number; value?: unknown }).value;
    assert.equal((again.body as { statusCode?: number }).statusCode, 200);
    assert.ok(
      executeActions(card).some((a) => a.verb === 'confirm'),
      JSON.stringify(again),
    );
    assert.deepEqual(rig.authorizations(), new Set([`Bearer ${MEGAN_TOKEN}`]));
  });

  it('takes a Teams SSO token on a card press, and answers 412 when it cannot be exchanged', async () => {
    const results = await signInAndSearch();
    const pick = executeActions(results).find((a) => a.verb === 'pick')!;
    await say('sign out');
    rig.emulator.resetRequests();
    const press = rig.activities.invoke(megan, place, 'pick', pick.data, 'results-1');
    const withToken = (token: string) => ({
      ...press,
      value: {
        ...(press.value as object),
        authentication: { id: 'exchange-1', connectionName: CONNECTION, token },
      },
    });

    const refused = await rig.invoke(withToken('stale-teams-token'));
    assert.deepEqual(refused.body, {
      statusCode: 412,
      type: 'application/vnd.microsoft.error.preconditionFailed',
      value: { code: '412', message: 'authentication token expired' },
    });
    assert.deepEqual(rig.emulator.requests, []);

    rig.adapter.addExchangeableToken(
      CONNECTION,
      'msteams',
      megan.id,
      'teams-sso-token',
      MEGAN_TOKEN,
    );
    const accepted = await rig.invoke(withToken('teams-sso-token'));
    assert.equal((accepted.body as { statusCode?: number }).statusCode, 200);
    assert.deepEqual(rig.authorizations(), new Set([`Bearer ${MEGAN_TOKEN}`]));
  });

  it('signs out (`sign out`, `logout`, `登出`): the token store forgets the token and the next command asks again', async () => {
    await signInAndSearch();
    for (const [text, locale, expected] of [
      ['sign out', 'en-US', /You are signed out/],
      ['logout', 'en-US', /You are signed out/],
      ['登出', 'zh-TW', /您已登出/],
    ] as const) {
      rig.adapter.addUserToken(CONNECTION, 'msteams', megan.id, MEGAN_TOKEN);
      const sent = await rig.send(rig.activities.message(megan, place, text, { locale }));
      assert.match(cardText(adaptiveCardsIn(sent)[0]), expected);
      const asked = await say('status');
      assert.ok(oauthCardIn(asked), `${text}: asked to sign in again`);
    }
  });

  it('never asks to sign in on an automatic card refresh', async () => {
    const group = groupChat();
    const sent = await rig.invoke(
      rig.activities.invoke(megan, group, 'refresh', { view: 'waiting' }, 'some-card', {
        trigger: 'automatic',
      }),
    );
    const body = sent.body as { statusCode?: number; type?: string };
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, ADAPTIVE_CARD);
    assert.deepEqual(rig.emulator.requests, []);
  });

  it('refuses people outside the technician groups after they sign in', async () => {
    const diego = PEOPLE.diego;
    const diegoPlace = personalChat(diego);
    const asked = await rig.send(rig.activities.message(diego, diegoPlace, 'reset lumia'));
    assert.ok(oauthCardIn(asked));
    rig.adapter.addUserToken(CONNECTION, 'msteams', diego.id, 'eyJ.diego.sig', '111222');
    const sent = await rig.send(rig.activities.message(diego, diegoPlace, '111222'));
    assert.match(cardText(adaptiveCardsIn(sent)[0]), /Only helpdesk technicians/);
    assert.ok(rig.emulator.requests.every((r) => /checkMemberGroups/.test(r.url)));
    assert.deepEqual(rig.authorizations(), new Set(['Bearer eyJ.diego.sig']));
  });
});
