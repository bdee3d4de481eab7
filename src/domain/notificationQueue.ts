import type { OutboxEntry, ResetJob } from './job';
import type { Audience, NotificationKind } from './messenger';

export const BOTH_AUDIENCES: readonly Audience[] = ['requester', 'helpdeskChannel'];

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
