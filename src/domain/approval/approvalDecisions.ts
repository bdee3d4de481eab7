import { type Actor, type Person, type ResetJob, isOpaqueId, cleanText } from '../shared';
import { aboutJob, byActor, errorName } from '../audit';
import { refuse, type DecisionAnswer, type Refusal } from '../desk';
import type { DeskContext } from '../context';
import { transition } from '../records';
import { queueNotifications } from '../notifications';

/** What an approve or deny uses. */
type DecisionParts = Pick<
  DeskContext,
  'audit' | 'auth' | 'clock' | 'jobs' | 'logger' | 'messenger' | 'wakeTracker'
>;

export const MAX_DENY_REASON_LENGTH = 500;

type Decision = 'approved' | 'denied';

const personOf = (actor: Actor): Person => ({
  aadObjectId: actor.aadObjectId,
  ...(actor.userPrincipalName ? { upn: actor.userPrincipalName } : {}),
  ...(actor.displayName ? { name: actor.displayName } : {}),
});

const isOpen = (job: ResetJob, now: Date): boolean =>
  job.state === 'awaitingApproval' &&
  !!job.approval &&
  !job.approval.decision &&
  Date.parse(job.approval.expiresAt) > now.getTime();

/**
 * Approve or Deny on an approval card. Only a member of APPROVER_GROUP_IDS who is not the
 * requester decides; every other press changes nothing and is audited. The decision is
 * one ETag-conditional write from `awaitingApproval`, so of two presses (on two
 * instances, say) exactly one wins and the other answers with the winner's decision.
 * Approved, the job becomes `requested` and the tracker submits it as any other reset
 * (submission.ts: exactly once); denied, the requester is told the reason (outbox).
 * The tracker then updates every approval card to show the decision.
 */
export async function decideApproval(
  ctx: DecisionParts,
  actor: Actor,
  jobId: string,
  decision: Decision,
  rawReason?: string,
): Promise<DecisionAnswer | Refusal> {
  const attempted = decision === 'approved' ? 'approve' : 'deny';
  if (!isOpaqueId(jobId)) {
    return ctx.audit.refusal(actor, attempted, refuse('invalidInput', { field: 'jobId' }));
  }
  const doc = await ctx.jobs.get(jobId);
  if (!doc || doc.value.tenantId !== actor.tenantId || !doc.value.approval) {
    return ctx.audit.refusal(actor, attempted, refuse('unknownAction'));
  }
  const about = aboutJob(doc.value);
  // The requester first: "not your own" says more to them than "approvers only".
  if (doc.value.requester.aadObjectId === actor.aadObjectId) {
    return ctx.audit.refusal(actor, attempted, refuse('selfApproval'), about);
  }
  const denied = await ctx.auth.require(actor, 'approver', attempted, about);
  if (denied) return denied;
  const reason = rawReason?.trim() ? cleanText(rawReason, MAX_DENY_REASON_LENGTH) : undefined;
  if (rawReason?.trim() && !reason) {
    return ctx.audit.refusal(
      actor,
      attempted,
      refuse('invalidInput', { field: 'reason', maxLength: MAX_DENY_REASON_LENGTH }),
      about,
    );
  }

  const now = ctx.clock.now();
  const at = now.toISOString();
  const written = await ctx.jobs.update(jobId, (job) => {
    if (!isOpen(job, now) || !job.approval) return undefined;
    const approval = {
      ...job.approval,
      decision: { outcome: decision, at, by: personOf(actor), ...(reason ? { reason } : {}) },
    };
    return decision === 'approved'
      ? transition(job, 'requested', now, { approval, nextCheckAt: at })
      : transition(job, 'denied', now, {
          approval,
          ...queueNotifications(job, 'denied', ['requester']),
        });
  });
  if (!written) return lostDecision(ctx, actor, attempted, jobId, about);

  await ctx.audit.write('approval', decision, {
    ...byActor(actor),
    ...about,
    ...(reason ? { detail: reason } : {}),
  });
  try {
    await ctx.messenger.updateOriginCard(written.value);
  } catch (error) {
    ctx.logger.warn({ err: errorName(error), jobId }, 'Could not refresh the origin card');
  }
  // Submits an approved reset now, and updates the other approval cards either way.
  ctx.wakeTracker();
  return { kind: 'decided', job: written.value, byActor: true };
}

/** Someone decided first, or the request expired: nothing changes, and the press is audited. */
async function lostDecision(
  ctx: Pick<DeskContext, 'audit' | 'jobs' | 'wakeTracker'>,
  actor: Actor,
  attempted: string,
  jobId: string,
  about: ReturnType<typeof aboutJob>,
): Promise<DecisionAnswer | Refusal> {
  const latest = (await ctx.jobs.get(jobId))?.value;
  const decided = latest?.approval?.decision;
  if (!latest || !decided || decided.outcome === 'expired') {
    ctx.wakeTracker(); // an expired request the tracker has not closed yet
    return ctx.audit.refusal(actor, attempted, refuse('expired'), about);
  }
  await ctx.audit.refusal(
    actor,
    attempted,
    refuse('alreadyDecided', { decision: decided.outcome }),
    about,
  );
  return { kind: 'decided', job: latest, byActor: false };
}
