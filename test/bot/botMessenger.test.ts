import assert from 'node:assert/strict';
import { createAdapter } from '../../src/bot/adapter';
import { BotMessenger, type ConfiguredChannel } from '../../src/bot/botMessenger';
import { CardViewStore } from '../../src/bot/cardViews';
import { ConversationDirectory } from '../../src/bot/directory';
import { Proactive } from '../../src/bot/proactive';
import { conversationKey } from '../../src/bot/turn';
import type { ResetJob } from '../../src/domain/shared/job';
import { DeliveryError, type SentMessage } from '../../src/domain/ports/messenger';
import { Passcode } from '../../src/domain/shared/passcode';
import { t } from '../../src/i18n';
import { SettingsRepository } from '../../src/domain/records/settingsRepository';
import { silentLogger } from '../../src/logger';
import type { ActivityLike, ConnectorRequest } from '../support/connectorStandIn';
import { channelThread, groupChat, personalChat, type TeamsUser } from '../support/teamsActivities';
import { cardOf, cardText, DEMO_TENANT, PEOPLE, TeamsHarness } from '../support/teamsHarness';
import * as fx from '../support/teamsFixtures';

const SETTINGS = { passcodeVisibleMinutes: 10, resetTimeoutMinutes: 4320 };
const NOW = new Date('2026-11-24T10:00:00Z');
/** When the domain hides the passcode: it computes this once and the card states it. */
const HIDE_AT = new Date(NOW.getTime() + SETTINGS.passcodeVisibleMinutes * 60_000).toISOString();

describe('bot: BotMessenger (proactive messages through the connector)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await TeamsHarness.start();
  });
  after(async () => {
    await h?.close();
  });

  function messenger(configuredChannel?: ConfiguredChannel): BotMessenger {
    const documents = h.app.stores.documents;
    const directory = new ConversationDirectory(documents);
    return new BotMessenger({
      proactive: new Proactive(createAdapter(h.config, silentLogger), '', directory, silentLogger),
      directory,
      cardViews: new CardViewStore(documents),
      settingsRepository: new SettingsRepository(documents),
      ...(configuredChannel ? { configuredChannel } : {}),
      settings: SETTINGS,
      logger: silentLogger,
    });
  }

  function jobFor(user: TeamsUser, overrides: Partial<ResetJob> = {}): ResetJob {
    return fx.job({
      tenantId: DEMO_TENANT.tenantId,
      requester: { aadObjectId: user.aadObjectId, name: user.name, locale: 'en-US' },
      ...overrides,
    });
  }

  const newRequests = (from: number): ConnectorRequest[] => h.connector.requests.slice(from);

  /** What the tracker does: post the message without the passcode, then put it in (an update). */
  async function deliver(job: ResetJob, passcode: Passcode): Promise<SentMessage> {
    const m = messenger();
    const message = await m.preparePasscodeMessage(job);
    await m.deliverPasscode(job, passcode, message, { hideAt: HIDE_AT });
    return message;
  }

  it('opens a 1:1 chat for someone met only in a channel, sends the passcode there, and reuses that chat', async () => {
    const user = PEOPLE.megan;
    await h.say(h.activities.message(user, channelThread(), 'help'));
    const start = h.connector.requests.length;
    const sent = await deliver(jobFor(user), new Passcode('73194028'));
    const requests = newRequests(start);
    assert.deepEqual(
      requests.map((r) => r.kind),
      ['createConversation', 'send', 'update'],
    );
    const personalId = `a:personal-${user.id}`;
    assert.equal(requests[1]!.conversationId, personalId);
    assert.deepEqual(sent, {
      conversationKey: conversationKey(personalId),
      messageId: requests[1]!.responseId,
    });
    // The post carries no passcode; the update of that same message does.
    assert.ok(!requests[1]!.raw.includes('73194028'), 'no passcode in the post');
    assert.match(cardText(cardOf(requests[1]!.body as ActivityLike)), /appears here in a moment/);
    assert.equal(requests[2]!.activityId, sent.messageId);
    const text = cardText(cardOf(requests[2]!.body as ActivityLike));
    assert.match(
      text,
      /New passcode for Lumia 950\n[\s\S]*73194028[\s\S]*hide this passcode at Nov 24, 2026, 06:10 PM GMT\+8 \(10 minutes\)/,
    );

    const secondStart = h.connector.requests.length;
    await deliver(jobFor(user), new Passcode('55550000'));
    const second = newRequests(secondStart);
    assert.deepEqual(
      second.map((r) => [r.kind, r.conversationId]),
      [
        ['send', personalId],
        ['update', personalId],
      ],
      'no second createConversation',
    );
  });

  it('sends straight to a known 1:1 chat, and reports a blocked or missing person as permanent', async () => {
    const user = PEOPLE.lee;
    const place = personalChat(user);
    await h.say(h.activities.message(user, place, 'help'));
    const start = h.connector.requests.length;
    await deliver(jobFor(user), new Passcode('11112222'));
    assert.deepEqual(
      newRequests(start).map((r) => [r.kind, r.conversationId]),
      [
        ['send', place.conversationId],
        ['update', place.conversationId],
      ],
    );

    // A refusal that is not about the person (400; 5xx are retried by the SDK) is not permanent.
    h.connector.fail(400, 1, 'send');
    await assert.rejects(deliver(jobFor(user), new Passcode('33334444')), (e: unknown) => {
      assert.ok(e instanceof DeliveryError);
      assert.equal(e.status, 400);
      assert.equal(e.permanent, false);
      assert.ok(!e.message.includes('33334444') && !JSON.stringify(e).includes('33334444'));
      return true;
    });

    // The stored chat is gone (403) and opening a new one is refused too: permanent.
    h.connector.fail(403, 1, 'send');
    h.connector.fail(403, 1, 'createConversation');
    await assert.rejects(deliver(jobFor(user), new Passcode('99990000')), (e: unknown) => {
      assert.ok(e instanceof DeliveryError);
      assert.equal(e.status, 403);
      assert.equal(e.permanent, true);
      assert.ok(!e.message.includes('99990000'));
      return true;
    });

    await assert.rejects(
      deliver(jobFor(PEOPLE.diego), new Passcode('12121212')),
      (e: unknown) => e instanceof DeliveryError && e.permanent,
    );
  });

  it('hides a delivered passcode by updating that message in place', async () => {
    const user = PEOPLE.nestor;
    await h.say(h.activities.message(user, personalChat(user), 'help'));
    const sent = await deliver(jobFor(user), new Passcode('24682468'));
    const start = h.connector.requests.length;
    await messenger().hidePasscode(jobFor(user), sent);
    const [update] = newRequests(start);
    assert.equal(update?.kind, 'update');
    assert.equal(update?.activityId, sent.messageId);
    assert.match(
      cardText(cardOf(update?.body as ActivityLike)),
      /Passcode hidden\nThe passcode for Lumia 950 was shown for 10 minutes\. Type `show passcode Lumia 950`/,
    );
    assert.ok(!update?.raw.includes('24682468'));
  });

  it('updates the origin card in a group with a refresh for the requester; in a 1:1 chat without; never without an id', async () => {
    const user = PEOPLE.adele;
    const group = groupChat();
    await h.say(h.activities.message(user, group, 'help'));
    const done = jobFor(user, {
      state: 'done',
      delivery: { state: 'sent', attempts: 1 },
      origin: {
        key: conversationKey(group.conversationId),
        kind: 'groupChat',
        activityId: 'm-card',
      },
    });
    let start = h.connector.requests.length;
    await messenger().updateOriginCard(done);
    const [update] = newRequests(start);
    assert.equal(update?.kind, 'update');
    assert.equal(update?.conversationId, group.conversationId);
    assert.equal(update?.activityId, 'm-card');
    const card = cardOf(update?.body as ActivityLike);
    assert.match(cardText(card), /The new passcode was sent to Adele Vance in a private chat\./);
    assert.deepEqual((card.refresh as { userIds: string[] }).userIds, [user.id]);

    const personal = personalChat(user);
    await h.say(h.activities.message(user, personal, 'help'));
    start = h.connector.requests.length;
    await messenger().updateOriginCard({
      ...done,
      origin: {
        key: conversationKey(personal.conversationId),
        kind: 'personal',
        activityId: 'm-1on1',
      },
    });
    const [personalUpdate] = newRequests(start);
    assert.equal(cardOf(personalUpdate?.body as ActivityLike).refresh, undefined);

    start = h.connector.requests.length;
    await messenger().updateOriginCard({
      ...done,
      origin: { key: conversationKey(group.conversationId), kind: 'groupChat' },
    });
    assert.equal(newRequests(start).length, 0);
  });

  it('notifies the requester privately of a failure with reason, error code, time, request-id and admin link', async () => {
    const user = PEOPLE.lee;
    const failed = jobFor(user, {
      state: 'failed',
      errorCode: -2016345060,
      finishedAt: '2026-11-24T10:05:00Z',
      graphRequestId: 'req-abc',
    });
    const start = h.connector.requests.length;
    await messenger().notify('failed', 'requester', failed);
    const [sent] = newRequests(start);
    assert.equal(sent?.conversationId, personalChat(user).conversationId);
    const card = cardOf(sent?.body as ActivityLike);
    const text = cardText(card);
    assert.match(
      text,
      /The passcode reset of Lumia 950 failed[\s\S]*-2016345060[\s\S]*Nov 24, 2026, 06:05 PM GMT\+8[\s\S]*req-abc/,
    );
    assert.match(JSON.stringify(card), /mdmDeviceId\/d7c2a1e0-4b3a-4c5d-8e6f-000000000001/);
  });

  it('notifies the helpdesk channel an admin chose (in its language), the configured one otherwise, else nobody', async () => {
    const job = jobFor(PEOPLE.megan, { state: 'timedOut', finishedAt: '2026-11-24T10:05:00Z' });
    // Before anyone ran "notify here" and with nothing configured: no message at all.
    const settings = await h.app.stores.documents.get('settings', 'helpdeskChannel');
    assert.equal(settings, undefined);
    let start = h.connector.requests.length;
    await messenger().notify('timedOut', 'helpdeskChannel', job);
    assert.equal(newRequests(start).length, 0);

    const configured = {
      conversationId: '19:configured@thread.tacv2',
      serviceUrl: h.connector.url,
      botId: '28:bot',
    };
    await messenger(configured).notify('timedOut', 'helpdeskChannel', job);
    const [toConfigured] = newRequests(start);
    assert.equal(toConfigured?.conversationId, '19:configured@thread.tacv2');
    assert.match(
      cardText(cardOf(toConfigured?.body as ActivityLike)),
      /Helpdesk notice: a reset requested by Megan Bowen\.[\s\S]*timed out[\s\S]*within 72 hours/,
    );

    const channel = channelThread();
    await h.say(h.activities.message(PEOPLE.adele, channel, '在此通知', { locale: 'zh-TW' }));
    start = h.connector.requests.length;
    await messenger(configured).notify(
      'failed',
      'helpdeskChannel',
      jobFor(PEOPLE.megan, { state: 'failed', errorCode: 5 }),
    );
    const [toChosen] = newRequests(start);
    assert.equal(toChosen?.conversationId, channel.conversationId);
    assert.match(
      cardText(cardOf(toChosen?.body as ActivityLike)),
      /服務台通知：Megan Bowen 提出的重設要求。[\s\S]*Lumia 950 的密碼重設失敗/,
    );
  });

  it('tells the helpdesk channel that a notice did not reach its requester', async () => {
    const configured = {
      conversationId: '19:configured@thread.tacv2',
      serviceUrl: h.connector.url,
      botId: '28:bot',
    };
    // Graph refused the reset itself: no Intune error code, so the card names Graph's.
    const job = jobFor(PEOPLE.lee, {
      state: 'failed',
      failure: { code: 'Forbidden', status: 403, requestId: 'req-lee' },
      graphRequestId: 'req-lee',
    });
    const start = h.connector.requests.length;
    await messenger(configured).notify('requesterUnreachable', 'helpdeskChannel', job);
    const sent = newRequests(start);
    assert.equal(sent.length, 1);
    assert.ok(!sent[0]!.conversationId?.startsWith('a:'), 'to the channel, not a 1:1 chat');
    const text = cardText(cardOf(sent[0]!.body as ActivityLike));
    // The channel an earlier test chose with "在此通知" reads zh-TW; the configured one English.
    const inLocale = (locale: 'en' | 'zh-TW') =>
      text.includes(t(locale, 'notification.channelIntro', { requester: 'Lee Gu' })) &&
      text.includes(t(locale, 'notification.requesterUnreachable.title', { device: 'Lumia 950' }));
    assert.ok(inLocale('en') || inLocale('zh-TW'), text);
    assert.match(text, /req-lee/);
    assert.match(text, /403 Forbidden/);
  });
});
