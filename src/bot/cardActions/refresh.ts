import type { CardView } from '../cardViews';
import { viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { render, type CardSpec } from '../views/cardSpec';
import { jobOriginSpec } from '../views/jobViews';
import { errorSpec } from '../views/messageViews';
import { t } from '../../i18n';
import type { CardActionHandler } from './cardAction';

async function liveSpec(turn: TurnInfo, services: BotServices, view: CardView): Promise<CardSpec> {
  if (view.kind === 'card') return view.spec;
  // Delegated mode, signed out: the card as sent. An automatic refresh never asks to sign in.
  if (services.signIn && !turn.actor.graphToken) return view.fallback;
  const answer = await services.desk.job(turn.actor, view.jobId);
  return answer.kind === 'job'
    ? jobOriginSpec(viewContext(turn), answer.job, services.settings)
    : view.fallback;
}

/**
 * Universal Actions refresh: the requester sees their own view of a card in a group chat
 * or channel (a job's live state included); anyone else sees the card as sent.
 */
export const refresh: CardActionHandler = async (turn, services) => {
  const ctx = viewContext(turn);
  const messageId = turn.replyToId;
  const stored = messageId ? await services.cardViews.recall(turn.where.key, messageId) : undefined;
  const isRequester = !!stored && stored.requesterAadObjectId === turn.actor.aadObjectId;
  const view = (isRequester ? stored?.requester : undefined) ?? stored?.base;
  if (!stored || !view) return render(errorSpec(ctx, t(ctx.locale, 'error.cardGone')));
  return render(await liveSpec(turn, services, view), isRequester ? turn.teamsUserId : undefined);
};
