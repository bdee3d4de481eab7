import type { AdaptiveCard } from '../../cards/render';
import type { CardView } from './cardViews';
import type { BotServices } from './services';
import type { TurnInfo } from './turn';
import type { ReplyChannel } from './turnDeadline';
import { cardActivity, render, type CardSpec, type ViewContext } from './views/cardSpec';

export const viewContext = (turn: TurnInfo): ViewContext => ({
  locale: turn.locale,
  ...(turn.timeZone ? { timeZone: turn.timeZone } : {}),
});

export const isShared = (turn: TurnInfo): boolean => turn.where.kind !== 'personal';

/**
 * Sends a card as a new message. In a group chat or channel a card someone acts on
 * (`interactive`) carries a refresh for its requester and is remembered, so a refresh
 * can show the requester their own view later.
 */
export async function sendCard(
  context: ReplyChannel,
  turn: TurnInfo,
  services: BotServices,
  spec: CardSpec,
  options: { interactive?: boolean } = {},
): Promise<string | undefined> {
  const shared = isShared(turn) && options.interactive === true;
  const card = render(spec, shared ? turn.teamsUserId : undefined);
  const sent = await context.sendActivity(cardActivity(card));
  if (shared && sent?.id) {
    await services.cardViews.rememberBase(turn.where.key, sent.id, turn.actor.aadObjectId, {
      kind: 'card',
      spec,
    });
  }
  return sent?.id;
}

/**
 * The card an invoke answers with (it replaces the acted-on card for the person who
 * acted). In a group chat or channel it is remembered as that person's view.
 */
export async function answerCard(
  turn: TurnInfo,
  services: BotServices,
  spec: CardSpec,
  view: CardView = { kind: 'card', spec },
): Promise<AdaptiveCard> {
  if (!isShared(turn)) return render(spec);
  const messageId = turn.replyToId;
  if (messageId) {
    await services.cardViews.rememberRequesterView(
      turn.where.key,
      messageId,
      turn.actor.aadObjectId,
      view,
    );
  }
  return render(spec, turn.teamsUserId);
}
