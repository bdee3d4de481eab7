import { MAX_TICKET_REF_LENGTH } from '../../domain/shared';
import { t } from '../../i18n';
import { answerCard, viewContext } from '../reply';
import { jobOriginSpec } from '../views/jobViews';
import { errorSpec, refusalSpec } from '../views/messageViews';
import { badActionCard, textField, type CardActionHandler } from './cardAction';

/**
 * Confirm: answers at once with "Reset requested, waiting for the device…"; the domain
 * submits in the background and the Messenger updates this card when the job moves on.
 */
export const confirm: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const pendingActionId = textField(data, 'pendingActionId');
  if (!pendingActionId) return badActionCard(ctx);
  // An Input.Text always sends a string: anything else was not sent by the card.
  const ticketIsText = data.ticketRef === undefined || typeof data.ticketRef === 'string';
  const rawTicket = typeof data.ticketRef === 'string' ? data.ticketRef.trim() : '';
  const ticketRef = rawTicket ? textField(data, 'ticketRef', MAX_TICKET_REF_LENGTH) : undefined;
  if (!ticketIsText || (rawTicket && !ticketRef)) {
    return answerCard(
      turn,
      services,
      errorSpec(ctx, t(ctx.locale, 'input.ticketInvalid', { max: MAX_TICKET_REF_LENGTH })),
    );
  }
  // The invoke's replyToId is the id of the card's message: the Messenger updates it later.
  const activityId = turn.replyToId;
  const answer = await services.desk.confirm(
    turn.actor,
    { ...turn.where, ...(activityId ? { activityId } : {}) },
    pendingActionId,
    ticketRef,
    // Input.Toggle sends its valueOn; anything else is "not ticked".
    data.acknowledge === 'true',
  );
  if (answer.kind === 'refused') return answerCard(turn, services, refusalSpec(ctx, answer));
  const spec = jobOriginSpec(ctx, answer.job, services.settings);
  return answerCard(turn, services, spec, {
    kind: 'job',
    jobId: answer.job.id,
    fallback: spec,
  });
};
