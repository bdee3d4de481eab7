import { aboutJob, errorName } from '../audit';
import { claim, isDue, settle, type StepParts, type TrackerContext } from '../context';
import { POLICY, retryBackoffMs, type DeskSettings } from '../desk';
import { addMs, DeliveryError, MINUTE_MS } from '../ports';
import type { ResetJob } from '../shared';
import type { JobDocument } from '../records';

/*
 * Every message that may show a passcode, as the job records it (`delivery.copies`), and
 * hiding each on time. Delivery (passcodeDelivery.ts) and show passcode (passcodeView.ts)
 * add copies; the tracker's hideIfDue takes them away.
 */

/**
 * When a copy sent at `sentAt` is hidden: computed once, where it is sent, then shown on
 * the card and kept on the job alike.
 */
export function hideAtAfter(
  settings: Pick<DeskSettings, 'PASSCODE_VISIBLE_MINUTES'>,
  sentAt: Date,
): string {
  return addMs(sentAt, settings.PASSCODE_VISIBLE_MINUTES * MINUTE_MS).toISOString();
}

/**
 * Hides every copy of the passcode that is due: the current message after
 * PASSCODE_VISIBLE_MINUTES, any other copy (an earlier delivery, a `show passcode` whose
 * hide or update failed) at once. A failed hide is retried with backoff for as long as it
 * fails: a copy stays in `copies` until it is hidden (or Teams says it no longer exists).
 */
export async function hideIfDue(
  ctx: StepParts,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  const now = ctx.clock.now();
  if (dueCopies(job, now).length === 0 || !isDue(job.delivery?.nextHideAt, now)) return doc;

  const attempt = await claim(ctx, doc, (j) =>
    withDelivery(j, { hideAttempts: (j.delivery?.hideAttempts ?? 0) + 1 }),
  );
  if (!attempt) return undefined;
  const attempts = attempt.value.delivery?.hideAttempts ?? 1;
  const { hidden, failure } = await hideCopies(ctx, attempt.value, dueCopies(attempt.value, now));
  if (failure) {
    ctx.logger.warn(
      { jobId: job.id, code: failure, attempts },
      'Could not hide a delivered passcode message; will retry',
    );
    if (attempts === POLICY.maxHideAttempts) {
      await ctx.audit.write('hide', 'failing', { ...aboutJob(job), detail: failure });
    }
  }
  const settled = await settle(ctx, attempt, (j) =>
    withoutCopies(j, hidden, {
      hideAttempts: failure ? attempts : 0,
      nextHideAt: failure ? addMs(now, retryBackoffMs(attempts)).toISOString() : undefined,
      ...(failure ? { lastError: `hide ${failure}` } : {}),
    }),
  );
  if (hidden.length > 0) await ctx.audit.write('hide', 'hidden', aboutJob(job));
  return settled;
}

type Copy = { conversationKey: string; messageId: string };

const sameCopy = (a: Copy, b: Copy): boolean =>
  a.conversationKey === b.conversationKey && a.messageId === b.messageId;

/** The message this delivery puts (or put) the passcode in, when one is stored. */
export function currentMessage(job: ResetJob): Copy | undefined {
  const { conversationKey, messageId } = job.delivery ?? {};
  return conversationKey && messageId ? { conversationKey, messageId } : undefined;
}

/** Messages that may show the passcode (jobs stored before `copies` existed: the sent one). */
export function copiesOf(job: ResetJob): Copy[] {
  if (job.delivery?.copies) return job.delivery.copies;
  const current = currentMessage(job);
  return job.delivery?.state === 'sent' && job.delivery.hideAt && current ? [current] : [];
}

export function withCopy(job: ResetJob, copy: Copy): Copy[] {
  const copies = copiesOf(job);
  return copies.some((c) => sameCopy(c, copy)) ? copies : [...copies, copy];
}

/** The current message once its hideAt has passed; every other copy at once. */
export function dueCopies(job: ResetJob, now: Date): Copy[] {
  const current = currentMessage(job);
  return copiesOf(job).filter((copy) => {
    if (!current || !sameCopy(copy, current)) return true;
    // Pending: the passcode is on its way into it. Failed: an update may have landed anyway.
    if (job.delivery?.state === 'pending') return false;
    return job.delivery?.state !== 'sent' || isDue(job.delivery.hideAt, now);
  });
}

/**
 * Replaces each copy with "passcode hidden". A 404 counts as hidden: Teams has no such
 * message (the technician deleted it), so nothing shows the passcode there.
 */
export async function hideCopies(
  ctx: Pick<TrackerContext, 'messenger'>,
  job: ResetJob,
  copies: Copy[],
): Promise<{ hidden: Copy[]; failure?: string }> {
  const hidden: Copy[] = [];
  let failure: string | undefined;
  for (const copy of copies) {
    try {
      await ctx.messenger.hidePasscode(job, copy);
      hidden.push(copy);
    } catch (error) {
      if (error instanceof DeliveryError && error.status === 404) hidden.push(copy);
      else failure = sendFailure(error).code;
    }
  }
  return { hidden, ...(failure ? { failure } : {}) };
}

/** `job` with `hidden` gone from its copies; the delivery is `hidden` once its current message is. */
export function withoutCopies(
  job: ResetJob,
  hidden: Copy[],
  changes: Partial<NonNullable<ResetJob['delivery']>> = {},
): ResetJob {
  const current = currentMessage(job);
  const currentHidden = !!current && hidden.some((h) => sameCopy(h, current));
  return withDelivery(job, {
    copies: copiesOf(job).filter((c) => !hidden.some((h) => sameCopy(h, c))),
    ...(currentHidden && job.delivery?.state === 'sent'
      ? { state: 'hidden', nextAttemptAt: undefined }
      : {}),
    ...changes,
  });
}

/** A status code or class name only: an error message could quote anything. */
export function sendFailure(error: unknown): { code: string; permanent: boolean } {
  if (!(error instanceof DeliveryError)) return { code: errorName(error), permanent: false };
  return { code: `DeliveryError ${error.status ?? ''}`.trim(), permanent: error.permanent };
}

export function withDelivery(
  job: ResetJob,
  changes: Partial<NonNullable<ResetJob['delivery']>>,
): ResetJob {
  const merged = { state: 'pending' as const, attempts: 0, ...job.delivery, ...changes };
  const delivery = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  return { ...job, delivery: delivery as NonNullable<ResetJob['delivery']> };
}
