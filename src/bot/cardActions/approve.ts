import { viewContext } from '../reply';
import { render } from '../views/cardSpec';
import { refusalSpec } from '../views/messageViews';
import { approvalDecidedSpec } from '../views/approvalViews';
import { badActionCard, textField, type CardActionHandler } from './cardAction';

/**
 * Approve on an approval card. The answer replaces the card for the approver; the tracker
 * updates every other copy (and submits the reset).
 */
export const approve: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const jobId = textField(data, 'jobId');
  if (!jobId) return badActionCard(ctx);
  const answer = await services.desk.approve(turn.actor, jobId);
  if (answer.kind === 'refused') return render(refusalSpec(ctx, answer));
  // No refresh entry: every copy of an approval card shows the same to everyone.
  return render(approvalDecidedSpec(ctx, answer.job, services.settings));
};
