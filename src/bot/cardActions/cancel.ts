import { t } from '../../i18n';
import { answerCard, viewContext } from '../reply';
import { noticeSpec, refusalSpec } from '../views/messageViews';
import { badActionCard, textField, type CardActionHandler } from './cardAction';

/** Cancel on the confirm card: the pending action is dropped, nothing reaches Intune. */
export const cancel: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const pendingActionId = textField(data, 'pendingActionId');
  if (!pendingActionId) return badActionCard(ctx);
  const answer = await services.desk.cancel(turn.actor, pendingActionId);
  const spec =
    answer.kind === 'refused'
      ? refusalSpec(ctx, answer)
      : noticeSpec(ctx, t(ctx.locale, 'cancel.done'));
  return answerCard(turn, services, spec);
};
