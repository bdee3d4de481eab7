import type { TurnContext } from 'botbuilder';
import { t } from '../../i18n';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { noticeSpec } from '../views/messageViews';
import { sendAnswer } from './sendAnswer';

/** `notify here`: an admin makes this channel the helpdesk notification channel. */
export async function runNotifyHere(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const answer = await services.desk.notifyHere(turn.actor, turn.where);
  await sendAnswer(context, turn, services, answer, (ctx) =>
    noticeSpec(ctx, t(ctx.locale, 'notifyHere.done')),
  );
}
