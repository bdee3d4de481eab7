import { isOurAction, type JobDocument } from '../records';
import { aboutJob, errorName } from '../audit';
import { addMs } from '../ports';
import { POLICY, retryBackoffMs } from '../desk';
import type { ResetJob, Passcode } from '../shared';
import { queueNotifications, awaitSignIn, requesterIntune } from '../notifications';
import {
  claim,
  isDue,
  refreshOriginCard,
  settle,
  type StepParts,
  type TrackerContext,
} from '../context';
import { currentMessage, hideAtAfter, sendFailure, withCopy, withDelivery } from './passcodeCopies';

/** What delivery uses: a tracker step that also reads Graph (the passcode) and counts. */
type DeliveryParts = StepParts & Pick<TrackerContext, 'access' | 'graph' | 'metrics' | 'settings'>;

/**
 * Sends the passcode of a done job to the requester's 1:1 chat, once, into a message
 * whose id the job holds before the passcode is in it:
 *
 * 1. a message WITHOUT the passcode is posted and its id stored (in `messageId` and in
 *    `copies`, the messages to hide). A post may be repeated (a connector answering 504
 *    after posting, a crash before the id is stored): a repeat carries no secret;
 * 2. the passcode is put in with an update of that stored message. An update is
 *    idempotent: a retry, a replay or a restart after a crash (the job is found
 *    `pending` with its messageId) lands in the same message.
 *
 * So a passcode never sits in a message the bot cannot hide. `passcode` comes straight
 * from the Graph read that saw `done`; a retry reads it again (single-device GET). It is
 * held in memory only for this call.
 */
export async function deliverIfDue(
  ctx: DeliveryParts,
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
      const waitMs = ctx.graph.holdOff(error, now, 30_000);
      ctx.logger.warn(
        { err: errorName(error), jobId: job.id },
        'Could not read the reset result for delivery; will retry',
      );
      return ctx.jobs.replace(
        doc,
        withDelivery(job, { nextAttemptAt: addMs(now, waitMs).toISOString() }),
      );
    }
  }

  const claimed = await claim(ctx, doc, (j) =>
    withDelivery(j, {
      state: 'pending',
      attempts: (j.delivery?.attempts ?? 0) + 1,
      nextAttemptAt: undefined,
    }),
  );
  if (!claimed) return undefined;
  // Done, but no version of Graph gives the passcode (getResetResult in graphIntune.ts reads
  // v1.0, then beta), in the tracker's read nor in the fresh one above: the requester is told
  // the reset is done and where to see the passcode. Never reported as sent.
  if (!passcode) {
    const tries = claimed.value.delivery?.attempts ?? 1;
    return sendFailed(ctx, claimed, 'passcodeUnavailable', tries >= PASSCODE_READ_ATTEMPTS);
  }

  let attempt: JobDocument = claimed;
  let sent = currentMessage(attempt.value);
  let sentAt = ctx.clock.now();
  let hideAt = '';
  try {
    if (!sent) {
      const prepared = await ctx.messenger.preparePasscodeMessage(attempt.value);
      sent = prepared;
      // Stored (lease kept) before the passcode goes in: the bot always holds its id.
      const recorded = await keepRecord(ctx, attempt, (j) =>
        withDelivery(j, {
          conversationKey: prepared.conversationKey,
          messageId: prepared.messageId,
          copies: withCopy(j, prepared),
        }),
      );
      if (!recorded) return undefined;
      attempt = recorded;
    }
    sentAt = ctx.clock.now();
    hideAt = hideAtAfter(ctx.settings, sentAt);
    await ctx.messenger.deliverPasscode(attempt.value, passcode, sent, { hideAt });
  } catch (error) {
    const { code, permanent } = sendFailure(error);
    return sendFailed(ctx, attempt, code, permanent);
  }
  const delivered = await settle(ctx, attempt, (j) =>
    withDelivery(j, {
      state: 'sent',
      conversationKey: sent.conversationKey,
      messageId: sent.messageId,
      sentAt: sentAt.toISOString(),
      hideAt,
      lastError: undefined,
    }),
  );
  ctx.metrics.passcodeDelivered((sentAt.getTime() - Date.parse(job.createdAt)) / 1000);
  await ctx.audit.write('deliver', 'sent', aboutJob(job));
  await refreshOriginCard(ctx, delivered);
  return delivered;
}

async function sendFailed(
  ctx: StepParts & Pick<TrackerContext, 'metrics'>,
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

/**
 * Records what a side effect did while keeping the lease (more steps follow). A desk
 * write may have landed meanwhile: then `change` is applied to the latest version.
 */
async function keepRecord(
  ctx: Pick<TrackerContext, 'clock' | 'jobs'>,
  doc: JobDocument,
  change: (job: ResetJob) => ResetJob,
): Promise<JobDocument | undefined> {
  const updatedAt = ctx.clock.now().toISOString();
  return (
    (await ctx.jobs.replace(doc, { ...change(doc.value), updatedAt })) ??
    ctx.jobs.update(doc.key, (j) => ({ ...change(j), updatedAt }))
  );
}
