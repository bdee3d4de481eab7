import { isOurAction } from './actionOwnership';
import { aboutJob, errorName } from './auditWriter';
import { addMs, MINUTE_MS } from './clock';
import { POLICY, retryBackoffMs } from './deskSettings';
import { retryAfterOf } from './graphErrors';
import type { ResetJob } from './job';
import type { JobDocument } from './jobRepository';
import { DeliveryError } from './messenger';
import { queueNotifications } from './notificationQueue';
import type { Passcode } from './passcode';
import { awaitSignIn, requesterIntune } from './signInWait';
import { claim, isDue, refreshOriginCard, settle, type TrackerContext } from './trackerContext';

/**
 * Sends the passcode of a done job to the requester's 1:1 chat, once.
 *
 * The attempt is stored (delivery `pending`, attempts + 1, our lease) before the
 * send, and the message id right after it. The one window left is a crash after
 * Teams accepted the message and before its id is stored: the job is then found
 * `pending` with no messageId once the lease expires and is sent again (at least
 * once, in that window only). Bot Framework offers no idempotency key for a send,
 * so this cannot be closed from here; it is a duplicate in the same private chat,
 * never a leak to anyone else.
 *
 * `passcode` comes straight from the Graph read that saw `done`; a retry reads it
 * again (single-device GET). It is held in memory only for this call.
 */
export async function deliverIfDue(
  ctx: TrackerContext,
  doc: JobDocument,
  passcode?: Passcode,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  const now = ctx.clock.now();
  if (
    job.state !== 'done' ||
    job.delivery?.state !== 'pending' ||
    !isDue(job.delivery.nextAttemptAt, now)
  ) {
    return doc;
  }
  if (!passcode) {
    if (ctx.graph.isPaused(now)) return doc;
    try {
      const intune = await requesterIntune(ctx, job);
      if (!intune) {
        return await awaitSignIn(ctx, doc, (j, until) => withDelivery(j, { nextAttemptAt: until }));
      }
      const result = await intune.getResetResult(job.device.id);
      if (isOurAction(result, job) && result.actionState === 'done') passcode = result.passcode;
    } catch (error) {
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined) ctx.graph.pauseFor(retryAfter, now);
      ctx.logger.warn(
        { err: errorName(error), jobId: job.id },
        'Could not read the reset result for delivery; will retry',
      );
      const waitMs = (retryAfter ?? 30) * 1000;
      return ctx.jobs.replace(
        doc,
        withDelivery(job, { nextAttemptAt: addMs(now, waitMs).toISOString() }),
      );
    }
  }

  const attempt = await claim(ctx, doc, (j) =>
    withDelivery(j, {
      state: 'pending',
      attempts: (j.delivery?.attempts ?? 0) + 1,
      nextAttemptAt: undefined,
    }),
  );
  if (!attempt) return undefined;
  // Done, but no version of Graph gives the passcode (getResetResult in graphIntune.ts reads
  // v1.0, then beta), in the tracker's read nor in the fresh one above: the requester is told
  // the reset is done and where to see the passcode. Never reported as sent.
  if (!passcode) {
    const tries = attempt.value.delivery?.attempts ?? 1;
    return sendFailed(ctx, attempt, 'passcodeUnavailable', tries >= PASSCODE_READ_ATTEMPTS);
  }

  let sent;
  try {
    sent = await ctx.messenger.deliverPasscode(attempt.value, passcode);
  } catch (error) {
    const { code, permanent } = sendFailure(error);
    return sendFailed(ctx, attempt, code, permanent);
  }
  const sentAt = ctx.clock.now();
  const delivered = await settle(ctx, attempt, (j) =>
    withDelivery(j, {
      state: 'sent',
      conversationKey: sent.conversationKey,
      messageId: sent.messageId,
      sentAt: sentAt.toISOString(),
      hideAt: addMs(sentAt, ctx.settings.PASSCODE_VISIBLE_MINUTES * MINUTE_MS).toISOString(),
      lastError: undefined,
    }),
  );
  ctx.metrics.passcodeDelivered((sentAt.getTime() - Date.parse(job.createdAt)) / 1000);
  await ctx.audit.write('deliver', 'sent', aboutJob(job));
  await refreshOriginCard(ctx, delivered);
  return delivered;
}

async function sendFailed(
  ctx: TrackerContext,
  doc: JobDocument,
  code: string,
  permanent: boolean,
): Promise<JobDocument | undefined> {
  const now = ctx.clock.now();
  const attempts = doc.value.delivery?.attempts ?? 1;
  const willRetry = !permanent && attempts < POLICY.maxDeliveryAttempts;
  ctx.metrics.deliveryFailed('passcode', willRetry);
  if (willRetry) {
    ctx.logger.warn(
      { jobId: doc.key, attempts, code },
      'Delivery to the 1:1 chat failed; will retry',
    );
    return settle(ctx, doc, (j) =>
      withDelivery(j, {
        lastError: code,
        nextAttemptAt: addMs(now, retryBackoffMs(attempts)).toISOString(),
      }),
    );
  }
  const noPasscode = code === 'passcodeUnavailable';
  ctx.logger.error(
    { jobId: doc.key, attempts, code },
    noPasscode
      ? 'Intune reports the reset done but gives no passcode (v1.0 nor beta): the requester is sent to the admin center'
      : 'Delivery to the 1:1 chat failed for good',
  );
  const failed = await settle(ctx, doc, (j) => ({
    ...withDelivery(j, { state: 'failed', lastError: code, nextAttemptAt: undefined }),
    ...(noPasscode
      ? queueNotifications(j, 'passcodeUnavailable', ['requester', 'helpdeskChannel'])
      : queueNotifications(j, 'deliveryFailed', ['helpdeskChannel'])),
  }));
  await ctx.audit.write('deliver', noPasscode ? 'passcodeUnavailable' : 'failed', {
    ...aboutJob(doc.value),
    detail: `${code} after ${attempts} attempt(s)`,
  });
  await refreshOriginCard(ctx, failed);
  return failed;
}

/** Delivery attempts (each after two reads) of a done reset without a passcode before giving up. */
const PASSCODE_READ_ATTEMPTS = 1;

/** After PASSCODE_VISIBLE_MINUTES the message is replaced with "passcode hidden". */
export async function hideIfDue(
  ctx: TrackerContext,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const job = doc.value;
  const delivery = job.delivery;
  const now = ctx.clock.now();
  if (delivery?.state !== 'sent' || !delivery.hideAt || !isDue(delivery.hideAt, now)) return doc;
  if (!isDue(delivery.nextAttemptAt, now)) return doc;
  const { conversationKey, messageId } = delivery;
  if (!conversationKey || !messageId) return doc;

  const attempt = await claim(ctx, doc, (j) =>
    withDelivery(j, { hideAttempts: (j.delivery?.hideAttempts ?? 0) + 1 }),
  );
  if (!attempt) return undefined;
  const attempts = attempt.value.delivery?.hideAttempts ?? 1;
  // Applies only while the job still points at this message (a passcode view may have replaced it).
  const sameMessage = (j: ResetJob) => j.delivery?.messageId === messageId;
  try {
    await ctx.messenger.hidePasscode(attempt.value, { conversationKey, messageId });
  } catch (error) {
    const { code, permanent } = sendFailure(error);
    if (permanent || attempts >= POLICY.maxHideAttempts) {
      ctx.logger.error({ jobId: job.id, code }, 'Could not hide the delivered message; giving up');
      await ctx.audit.write('hide', 'failed', { ...aboutJob(job), detail: code });
      // No hideAt: nothing left to try. The message stays as sent; the audit says so.
      return settle(ctx, attempt, (j) =>
        sameMessage(j) ? withDelivery(j, { hideAt: undefined, lastError: `hide ${code}` }) : j,
      );
    }
    return settle(ctx, attempt, (j) =>
      sameMessage(j)
        ? withDelivery(j, { nextAttemptAt: addMs(now, retryBackoffMs(attempts)).toISOString() })
        : j,
    );
  }
  const hidden = await settle(ctx, attempt, (j) =>
    sameMessage(j) ? withDelivery(j, { state: 'hidden', nextAttemptAt: undefined }) : j,
  );
  await ctx.audit.write('hide', 'hidden', aboutJob(job));
  return hidden;
}

/** A status code or class name only: an error message could quote anything. */
function sendFailure(error: unknown): { code: string; permanent: boolean } {
  if (!(error instanceof DeliveryError)) return { code: errorName(error), permanent: false };
  return { code: `DeliveryError ${error.status ?? ''}`.trim(), permanent: error.permanent };
}

function withDelivery(
  job: ResetJob,
  changes: Partial<NonNullable<ResetJob['delivery']>>,
): ResetJob {
  const merged = { state: 'pending' as const, attempts: 0, ...job.delivery, ...changes };
  const delivery = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  return { ...job, delivery: delivery as NonNullable<ResetJob['delivery']> };
}
