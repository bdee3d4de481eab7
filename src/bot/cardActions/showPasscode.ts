import { showPasscodeSpec } from '../commands/showPasscode';
import { answerCard, viewContext } from '../reply';
import { badActionCard, textField, type CardActionHandler } from './cardAction';

/** "Show" on the "which reset?" card: the passcode of that job goes to the actor privately. */
export const showPasscode: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const jobId = textField(data, 'jobId');
  if (!jobId) return badActionCard(ctx);
  const answer = await services.desk.showPasscode(turn.actor, turn.where, { jobId });
  return answerCard(turn, services, showPasscodeSpec(ctx, turn.where, answer));
};
