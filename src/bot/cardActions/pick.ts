import { answerCard, isShared, viewContext } from '../reply';
import { confirmSpec } from '../views/confirmView';
import { refusalSpec } from '../views/messageViews';
import { badActionCard, textField, type CardActionHandler } from './cardAction';

/** Pick on a results row → the confirm card (a single-use pending action bound to the actor). */
export const pick: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const pickId = textField(data, 'pickId');
  if (!pickId) return badActionCard(ctx);
  const answer = await services.desk.pick(turn.actor, turn.where, pickId);
  if (answer.kind === 'refused') return answerCard(turn, services, refusalSpec(ctx, answer));
  return answerCard(
    turn,
    services,
    confirmSpec(ctx, answer, {
      passcodeVisibleMinutes: services.settings.passcodeVisibleMinutes,
      ticketRequired: services.settings.ticketRequired === true,
      ...(services.settings.ticketPattern
        ? { ticketPattern: services.settings.ticketPattern }
        : {}),
      ...(isShared(turn) && turn.actor.displayName
        ? { onlyRequester: turn.actor.displayName }
        : {}),
    }),
  );
};
