import assert from 'node:assert/strict';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { TurnDeadline } from '../../src/bot/turnDeadline';
import type { TurnInfo } from '../../src/bot/turn';
import { silentLogger } from '../../src/logger';
import { TurnGate } from '../../src/server';

/** Records what the proactive path was asked to do, in order. */
class RecordingProactive {
  readonly updates: Array<{ messageId: string; activity: Partial<Activity> }> = [];

  sendTo(_reference: Partial<ConversationReference>, _activity: Partial<Activity>) {
    return Promise.resolve('posted-1');
  }

  updateAt(
    _reference: Partial<ConversationReference>,
    messageId: string,
    activity: Partial<Activity>,
  ) {
    this.updates.push({ messageId, activity });
    return Promise.resolve();
  }
}

const TURN: TurnInfo = {
  actor: { tenantId: 't', aadObjectId: 'a', locale: 'en-US' },
  where: { key: 'c-1', kind: 'personal' },
  locale: 'en',
  teamsUserId: '29:1',
};

/** A card press on the card message `card-7`, as the SDK hands it to the bot. */
const PRESS = {
  activity: {
    type: 'invoke',
    replyToId: 'card-7',
    conversation: { id: 'conv-1' },
    serviceUrl: 'https://smba.example/',
    channelId: 'msteams',
    from: { id: '29:1' },
    recipient: { id: '28:bot' },
  },
} as unknown as TurnContext;

const card = (text: string): AdaptiveCard =>
  ({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text }],
  }) as unknown as AdaptiveCard;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('bot: a late card press is in flight until its card is updated', () => {
  it('a graceful stop waits for the late work, which updates the pressed card first', async () => {
    const gate = new TurnGate();
    const proactive = new RecordingProactive();
    const deadline = new TurnDeadline({
      // The deadline passing is the state under test: the work below never answers in time.
      deadlineMs: 1,
      backgroundMs: 60_000,
      proactive,
      logger: silentLogger,
      inFlight: gate,
    });
    const work = deferred<AdaptiveCard>();

    const answer = await deadline.card(
      PRESS,
      TURN,
      'pick',
      () => work.promise,
      () => card('x'),
    );
    assert.match(JSON.stringify(answer), /Working on it/);

    gate.stop();
    let drained: boolean | undefined;
    const draining = gate.drained(60_000).then((value) => (drained = value));
    await nextMacrotask();
    assert.equal(drained, undefined, 'the stop waits while the late work is still running');
    assert.equal(proactive.updates.length, 0);

    work.resolve(card('Confirm the reset'));
    await draining;
    assert.equal(drained, true, 'the late work finished within the grace period');
    assert.equal(proactive.updates.length, 1, 'the pressed card was updated before the stop');
    assert.equal(proactive.updates[0]!.messageId, 'card-7');
    assert.match(JSON.stringify(proactive.updates[0]!.activity), /Confirm the reset/);
  });

  it('a press answered in time leaves nothing in flight', async () => {
    const gate = new TurnGate();
    const proactive = new RecordingProactive();
    const deadline = new TurnDeadline({
      deadlineMs: 60_000,
      backgroundMs: 120_000,
      proactive,
      logger: silentLogger,
      inFlight: gate,
    });
    const answer = await deadline.card(
      PRESS,
      TURN,
      'pick',
      () => Promise.resolve(card('Confirm the reset')),
      () => card('x'),
    );
    assert.match(JSON.stringify(answer), /Confirm the reset/);
    assert.equal(await gate.drained(60_000), true);
    assert.equal(proactive.updates.length, 0);
  });
});
