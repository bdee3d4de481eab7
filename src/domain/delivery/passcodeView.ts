import {
  type Actor,
  type ConversationPointer,
  isOpaqueId,
  isFinalState,
  type ResetJob,
  type Passcode,
  type ResetResult,
  MAX_QUERY_LENGTH,
  cleanText,
} from '../shared';
import { aboutJob, byActor } from '../audit';
import { MINUTE_MS, DeliveryError } from '../ports';
import {
  refuse,
  type Refusal,
  type ShowPasscodeAnswer,
  resetBehaviourOf,
  graphRefusal,
  POLICY,
} from '../desk';
import type { DeskContext } from '../context';
import { actingIntune } from '../access';
import {
  copiesOf,
  hideAtAfter,
  hideCopies,
  withCopy,
  withDelivery,
  withoutCopies,
} from './passcodeCopies';

/** What show passcode uses (resend: all but access and auth). */
type ShowPasscodeParts = Pick<
  DeskContext,
  | 'access'
  | 'audit'
  | 'auth'
  | 'clock'
  | 'jobs'
  | 'logger'
  | 'messenger'
  | 'settings'
  | 'wakeTracker'
>;

const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Sends the passcode of one of the actor's OWN recent resets again, always to
 * their 1:1 chat. Intune keeps it readable for 7 days, so older resets are
 * 'passcodeExpired'. The previous message of the same job, if still showing the
 * passcode, is hidden first: only one copy is visible at a time.
 */
export async function showPasscode(
  ctx: ShowPasscodeParts,
  actor: Actor,
  where: ConversationPointer,
  target: { text: string } | { jobId: string },
): Promise<ShowPasscodeAnswer | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', 'passcodeView');
  if (denied) return denied;
  const now = ctx.clock.now();
  // A removed passcode (iOS/iPadOS) left nothing to show.
  const removal = (job: ResetJob) => resetBehaviourOf(job.platform).delivers === 'removalNotice';
  const readable = (job: ResetJob) =>
    job.state === 'done' &&
    !removal(job) &&
    !!job.finishedAt &&
    now.getTime() - Date.parse(job.finishedAt) < POLICY.passcodeReadableDays * DAY_MS;

  let candidates: ResetJob[];
  if ('jobId' in target) {
    // Job ids are opaque ids: anything else is not looked up at all.
    const job = isOpaqueId(target.jobId) ? (await ctx.jobs.get(target.jobId))?.value : undefined;
    if (!job) return ctx.audit.refusal(actor, 'passcodeView', refuse('noRecentReset'));
    if (job.tenantId !== actor.tenantId || job.requester.aadObjectId !== actor.aadObjectId) {
      return ctx.audit.refusal(actor, 'passcodeView', refuse('notYours'), aboutJob(job));
    }
    candidates = [job];
  } else {
    // No text means "my recent resets": one is shown, several are offered to choose from.
    const blank = typeof target.text === 'string' && target.text.trim() === '';
    const text = blank ? '' : cleanText(target.text, MAX_QUERY_LENGTH);
    if (text === undefined) {
      return ctx.audit.refusal(actor, 'passcodeView', refuse('invalidInput', { field: 'target' }));
    }
    const wanted = text.toLowerCase();
    // Scans every job of the store (listByRequester): only this branch needs the list.
    const mine = await ctx.jobs.listByRequester(actor.tenantId, actor.aadObjectId);
    candidates = mine.filter((job) => job.device.name.toLowerCase().includes(wanted));
  }

  const recent = candidates.filter(readable);
  if (recent.length > 1) return { kind: 'choose', jobs: recent };
  const job = recent[0];
  if (!job) {
    const reason = candidates.some((j) => !isFinalState(j.state))
      ? 'passcodeNotReady'
      : candidates.some((j) => j.state === 'done' && removal(j))
        ? 'passcodeRemoved'
        : candidates.some((j) => j.state === 'done')
          ? 'passcodeExpired'
          : 'noRecentReset';
    return ctx.audit.refusal(
      actor,
      'passcodeView',
      refuse(reason),
      candidates[0] ? aboutJob(candidates[0]) : {},
    );
  }

  if (job.lease && Date.parse(job.lease.until) > now.getTime()) {
    // The tracker is delivering it right now: a second send would be a second visible copy.
    return ctx.audit.refusal(actor, 'passcodeView', refuse('passcodeNotReady'), aboutJob(job));
  }
  let result: ResetResult | undefined;
  try {
    result = await actingIntune(ctx.access, actor).getResetResult(job.device.id);
  } catch (error) {
    return ctx.audit.refusal(actor, 'passcodeView', graphRefusal(error), aboutJob(job));
  }
  // Only the passcode of this job's reset: a later reset by someone else is not the actor's to see.
  const sameReset =
    result?.actionState === 'done' && result.startDateTime === job.actionStartDateTime;
  const passcode = sameReset ? result?.passcode : undefined;
  if (!passcode) {
    // This very reset, done, yet no version of Graph gives its passcode: say so and where
    // to see it, rather than "expired" (graphIntune.ts getResetResult reads v1.0, then beta).
    const reason = sameReset ? 'passcodeUnavailable' : 'passcodeExpired';
    return ctx.audit.refusal(actor, 'passcodeView', refuse(reason), aboutJob(job));
  }
  return resend(ctx, actor, where, job, passcode);
}

/**
 * Exactly one visible copy: every earlier copy is hidden first, and when one cannot be
 * the new one is not sent (the technician is asked to try again; the copy stays held in
 * `copies`, so the tracker hides it at its hideAt and keeps retrying). The new copy is
 * posted without the passcode, its id recorded, and only then the passcode put in with an
 * update (see deliverIfDue).
 */
async function resend(
  ctx: Omit<ShowPasscodeParts, 'access' | 'auth'>,
  actor: Actor,
  where: ConversationPointer,
  job: ResetJob,
  passcode: Passcode,
): Promise<ShowPasscodeAnswer | Refusal> {
  const earlier = copiesOf(job);
  if (earlier.length > 0) {
    const { hidden, failure } = await hideCopies(ctx, job, earlier);
    if (hidden.length > 0) await ctx.jobs.update(job.id, (latest) => withoutCopies(latest, hidden));
    if (failure) {
      ctx.logger.warn(
        { code: failure, jobId: job.id },
        'Could not hide the previously delivered message; not sending another',
      );
      ctx.wakeTracker();
      return ctx.audit.refusal(actor, 'passcodeView', refuse('previousCopyVisible'), {
        ...aboutJob(job),
        detail: failure,
      });
    }
  }
  try {
    const message = await ctx.messenger.preparePasscodeMessage(job);
    const recorded = await ctx.jobs.update(job.id, (latest) =>
      withDelivery(latest, { copies: withCopy(latest, message) }),
    );
    const sentAt = ctx.clock.now();
    const hideAt = hideAtAfter(ctx.settings, sentAt);
    await ctx.messenger.deliverPasscode(recorded?.value ?? job, passcode, message, {
      hideAt,
      reRead: true,
    });
    const updated = await ctx.jobs.update(job.id, (latest) => ({
      ...withDelivery(latest, {
        state: 'sent',
        attempts: (latest.delivery?.attempts ?? 0) + 1,
        conversationKey: message.conversationKey,
        messageId: message.messageId,
        sentAt: sentAt.toISOString(),
        hideAt,
        nextAttemptAt: undefined,
        lastError: undefined,
      }),
      updatedAt: sentAt.toISOString(),
    }));
    await ctx.audit.write('passcodeView', 'sent', { ...byActor(actor), ...aboutJob(job) });
    return {
      kind: 'passcodeSent',
      job: updated?.value ?? job,
      privately: where.kind !== 'personal',
    };
  } catch (error) {
    // A copy whose update failed stays in `copies`: the tracker hides it at once.
    ctx.wakeTracker();
    const status = error instanceof DeliveryError ? (error.status ?? 0) : 0;
    return ctx.audit.refusal(
      actor,
      'passcodeView',
      refuse('deliveryFailed', { status }),
      aboutJob(job),
    );
  }
}
