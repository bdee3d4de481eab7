import { aboutJob, errorName } from '../audit';
import { addMs } from '../ports';
import { POLICY, retryBackoffMs } from '../desk';
import { type JobDocument, transition } from '../records';
import { queueNotifications } from '../notifications';
import {
  claim,
  isDue,
  refreshOriginCard,
  settle,
  type StepParts,
  type TrackerContext,
} from '../context';

/** What the approval step uses: a tracker step that also asks who may approve. */
type ApprovalSteps = StepParts & Pick<TrackerContext, 'isApprover'>;

/**
 * The tracker's part of second-person approval, first in every cycle:
 * - a job `awaitingApproval` whose cards are not out yet gets them sent (under the lease;
 *   a crash mid-send may send them again, which is harmless: the first decision wins);
 * - one not decided by `expiresAt` becomes `approvalExpired`, and its requester is told;
 * - once decided (or expired), every approval card is updated to show the decision.
 */
export async function advanceApproval(
  ctx: ApprovalSteps,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const approval = doc.value.approval;
  if (!approval) return doc;
  if (doc.value.state === 'awaitingApproval') {
    if (Date.parse(approval.expiresAt) <= ctx.clock.now().getTime()) return expire(ctx, doc);
    const due = !approval.posted && isDue(doc.value.nextCheckAt, ctx.clock.now());
    return due ? post(ctx, doc) : doc;
  }
  return approval.decision && !approval.cardsUpdated ? updateCards(ctx, doc) : doc;
}

async function post(ctx: ApprovalSteps, doc: JobDocument): Promise<JobDocument | undefined> {
  const claimed = await claim(ctx, doc, (j) => j);
  if (!claimed) return undefined;
  const attempts = (doc.value.approval?.postAttempts ?? 0) + 1;
  try {
    const cards = await ctx.messenger.requestApproval(claimed.value, ctx.isApprover);
    await ctx.audit.write('notify', 'sent', {
      ...aboutJob(doc.value),
      detail: `approvalRequest:${cards.length}`,
    });
    return settle(ctx, claimed, (j) => ({
      ...j,
      ...(j.approval
        ? { approval: { ...j.approval, cards, posted: true, postAttempts: attempts } }
        : {}),
    }));
  } catch (error) {
    const givingUp = attempts >= POLICY.maxNotifyAttempts;
    ctx.logger.warn({ err: errorName(error), jobId: doc.key }, 'Could not send the approval card');
    await ctx.audit.write('notify', givingUp ? 'undeliverable' : 'failed', {
      ...aboutJob(doc.value),
      detail: `approvalRequest ${errorName(error)}`,
    });
    return settle(ctx, claimed, (j) => ({
      ...j,
      ...(j.approval
        ? { approval: { ...j.approval, postAttempts: attempts, posted: givingUp } }
        : {}),
      nextCheckAt: addMs(ctx.clock.now(), retryBackoffMs(attempts)).toISOString(),
    }));
  }
}

async function expire(ctx: StepParts, doc: JobDocument): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const expired = await claim(ctx, doc, (j) =>
    transition(j, 'approvalExpired', now, {
      ...(j.approval
        ? { approval: { ...j.approval, decision: { outcome: 'expired', at: now.toISOString() } } }
        : {}),
      ...queueNotifications(j, 'approvalExpired', ['requester']),
    }),
  );
  if (!expired) return undefined;
  await ctx.audit.write('approval', 'expired', { ...aboutJob(expired.value) });
  await refreshOriginCard(ctx, expired);
  // The lease is ours still: the cards are updated in the same step.
  return updateCards(ctx, expired);
}

async function updateCards(
  ctx: Omit<StepParts, 'audit'>,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const claimed = await claim(ctx, doc, (j) => j);
  if (!claimed) return undefined;
  try {
    await ctx.messenger.updateApprovalCards(claimed.value);
  } catch (error) {
    // Cosmetic: a card left showing Approve/Deny answers "already decided" when pressed.
    ctx.logger.warn({ err: errorName(error), jobId: doc.key }, 'Could not update approval cards');
  }
  return settle(ctx, claimed, (j) => ({
    ...j,
    ...(j.approval ? { approval: { ...j.approval, cardsUpdated: true } } : {}),
  }));
}
