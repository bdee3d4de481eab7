import type { OutboxEntry, ResetJob } from '../shared';
import type { Audience, NotificationKind } from '../ports';

export const BOTH_AUDIENCES: readonly Audience[] = ['requester', 'helpdeskChannel'];

/**
 * Who hears of a final outcome (failed, notSupported, canceled, timedOut). The origin card
 * is updated to the same notice, so when it sits in the requester's own 1:1 chat a second,
 * identical message there is noise: only the helpdesk channel gets a new one. A reset
 * confirmed in a group chat or channel (or whose card id is unknown) still tells the
 * requester privately.
 */
export function finalNoticeAudiences(job: ResetJob): readonly Audience[] {
  return job.origin.kind === 'personal' && job.origin.activityId
    ? ['helpdeskChannel']
    : BOTH_AUDIENCES;
}

/**
 * Records notifications in `notified` and queues them in the outbox in one change,
 * before anything is sent: a key already in `notified` is never queued again, so a
 * restart cannot repeat a notification. `tag` distinguishes repeats of one kind
 * (reminder #1, #2, ...).
 */
export function queueNotifications(
  job: ResetJob,
  kind: NotificationKind,
  audiences: readonly Audience[],
  tag: string = kind,
): Pick<ResetJob, 'notified' | 'outbox'> {
  const fresh: OutboxEntry[] = audiences
    .map((audience) => ({ key: `${tag}:${audience}`, kind, audience, attempts: 0 }))
    .filter((entry) => !job.notified.includes(entry.key));
  return {
    notified: [...job.notified, ...fresh.map((entry) => entry.key)],
    outbox: [...(job.outbox ?? []), ...fresh],
  };
}
