import { MAX_DENY_REASON_LENGTH } from '../../domain/approval';
import { t } from '../../i18n';
import { viewContext } from '../reply';
import { render } from '../views/cardSpec';
import { errorSpec, refusalSpec } from '../views/messageViews';
import { approvalDecidedSpec } from '../views/approvalViews';
import { badActionCard, textField, type CardActionHandler } from './cardAction';

/** Deny on an approval card, with the reason typed on it (sent to the requester). */
export const deny: CardActionHandler = async (turn, services, data) => {
  const ctx = viewContext(turn);
  const jobId = textField(data, 'jobId');
  if (!jobId) return badActionCard(ctx);
  // An Input.Text always sends a string: anything else was not sent by the card.
  if (data.reason !== undefined && typeof data.reason !== 'string') return badActionCard(ctx);
  const reason = typeof data.reason === 'string' ? data.reason : undefined;
  if (reason && reason.trim().length > MAX_DENY_REASON_LENGTH) {
    return render(
      errorSpec(
        ctx,
        t(ctx.locale, 'refusal.invalidInput.withParams', { maxLength: MAX_DENY_REASON_LENGTH }),
      ),
    );
  }
  const answer = await services.desk.deny(turn.actor, jobId, reason);
  if (answer.kind === 'refused') return render(refusalSpec(ctx, answer));
  // No refresh entry: every copy of an approval card shows the same to everyone.
  return render(approvalDecidedSpec(ctx, answer.job, services.settings));
};
