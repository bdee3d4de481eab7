import { aboutJob, errorName } from '../audit';
import { addMs } from '../ports';
import { POLICY, retryBackoffMs } from '../desk';
import type { OutboxEntry, ResetJob } from '../shared';
import type { JobDocument } from '../records';
import { queueNotifications } from './notificationQueue';
import { claim, isDue, record, settle, type StepParts, type TrackerContext } from '../context';

/** What the outbox uses: a tracker step that counts failed sends. */
type OutboxParts = StepParts & Pick<TrackerContext, 'metrics'>;

/**
 * Sends the job's queued notifications, one at a time under our lease.
 * Each entry is marked `sending` (attempts + 1) before the send and removed after
 * it. A send that throws is retried later with backoff, then given up and audited
 * as undeliverable; a requester's notice given up is reported to the helpdesk channel. An entry still marked `sending` when a step starts was
 * interrupted by a crash: it may have gone out, so it is dropped rather than
 * repeated (at most once), and the audit says so.
 */
export async function sendNotificationsIfDue(
  ctx: OutboxParts,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  let current: JobDocument | undefined = await dropInterrupted(ctx, doc);
  while (current) {
    const now = ctx.clock.now();
    const entry = current.value.outbox?.find((e) => !e.sending && isDue(e.nextAttemptAt, now));
    if (!entry) return current;
    current = await sendOne(ctx, current, entry);
  }
  return current;
}

async function sendOne(
  ctx: OutboxParts,
  doc: JobDocument,
  entry: OutboxEntry,
): Promise<JobDocument | undefined> {
  const attempts = entry.attempts + 1;
  const claimed = await claim(ctx, doc, (j) =>
    withEntry(j, entry.key, { ...entry, attempts, sending: true }),
  );
  if (!claimed) return undefined;
  const detail = entry.key;
  try {
    await ctx.messenger.notify(entry.kind, entry.audience, claimed.value);
  } catch (error) {
    ctx.metrics.deliveryFailed('notification', attempts < POLICY.maxNotifyAttempts);
    if (attempts >= POLICY.maxNotifyAttempts) {
      ctx.logger.error(
        { jobId: doc.key, notification: entry.key, err: errorName(error) },
        'Notification undeliverable',
      );
      await ctx.audit.write('notify', 'undeliverable', {
        ...aboutJob(doc.value),
        detail: `${detail} ${errorName(error)}`,
      });
      // The requester never heard of it: the helpdesk channel is told instead (once per notice).
      const tellChannel = (j: ResetJob): ResetJob =>
        entry.audience === 'requester'
          ? {
              ...j,
              ...queueNotifications(
                j,
                'requesterUnreachable',
                ['helpdeskChannel'],
                `requesterUnreachable#${entry.key.split(':')[0] ?? entry.kind}`,
              ),
            }
          : j;
      return settle(ctx, claimed, (j) => tellChannel(withEntry(j, entry.key, undefined)));
    }
    const nextAttemptAt = addMs(ctx.clock.now(), retryBackoffMs(attempts)).toISOString();
    return settle(ctx, claimed, (j) =>
      withEntry(j, entry.key, { ...entry, attempts, nextAttemptAt }),
    );
  }
  await ctx.audit.write('notify', 'sent', { ...aboutJob(doc.value), detail });
  return settle(ctx, claimed, (j) => withEntry(j, entry.key, undefined));
}

async function dropInterrupted(
  ctx: Pick<TrackerContext, 'audit' | 'clock' | 'jobs'>,
  doc: JobDocument,
): Promise<JobDocument | undefined> {
  const interrupted = doc.value.outbox?.filter((e) => e.sending) ?? [];
  if (interrupted.length === 0) return doc;
  for (const entry of interrupted) {
    await ctx.audit.write('notify', 'interrupted', { ...aboutJob(doc.value), detail: entry.key });
  }
  return record(ctx, doc, (j) => ({ ...j, outbox: (j.outbox ?? []).filter((e) => !e.sending) }));
}

/** The job with outbox entry `key` replaced (or removed when `entry` is undefined). */
function withEntry(job: ResetJob, key: string, entry: OutboxEntry | undefined): ResetJob {
  const outbox = (job.outbox ?? []).flatMap((e) => (e.key !== key ? [e] : entry ? [entry] : []));
  return { ...job, outbox };
}
