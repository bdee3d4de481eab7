import type { TurnContext } from 'botbuilder';
import { t } from '../../i18n';
import { sendCard, viewContext } from '../reply';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { noticeSpec, refusalSpec } from '../views/messageViews';

/** `notify here`: an admin makes this channel the helpdesk notification channel. */
export async function runNotifyHere(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
): Promise<void> {
  const ctx = viewContext(turn);
  const answer = await services.desk.notifyHere(turn.actor, turn.where);
  await sendCard(
    context,
    turn,
    services,
    answer.kind === 'refused'
      ? refusalSpec(ctx, answer)
      : noticeSpec(ctx, t(ctx.locale, 'notifyHere.done')),
  );
}
