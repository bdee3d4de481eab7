import type { Actor } from './actor';
import { MINUTE_MS } from './clock';
import { refuse, type Refusal } from './desk';
import type { DeskSettings } from './deskSettings';
import type { ResetJob } from './job';

const HOUR_MS = 60 * MINUTE_MS;

/**
 * Confirms allowed per technician per hour and per tenant per minute, counted from
 * the stored jobs themselves, so every instance sharing the store sees the same
 * numbers. Two confirms racing at the very limit may both pass: a soft limit.
 */
export function checkRateLimits(
  settings: DeskSettings,
  actor: Actor,
  jobs: readonly ResetJob[],
  now: Date,
): Refusal | undefined {
  const at = now.getTime();
  const tenantJobs = jobs.filter((job) => job.tenantId === actor.tenantId);
  const mineLastHour = tenantJobs
    .filter((job) => job.requester.aadObjectId === actor.aadObjectId)
    .map((job) => Date.parse(job.createdAt))
    .filter((created) => at - created < HOUR_MS)
    .sort((a, b) => a - b);
  if (mineLastHour.length >= settings.RESETS_PER_TECHNICIAN_PER_HOUR) {
    // The window frees a slot when the oldest counted reset turns an hour old.
    const oldestCounted =
      mineLastHour[mineLastHour.length - settings.RESETS_PER_TECHNICIAN_PER_HOUR] ?? at;
    const retryAfterMinutes = Math.max(1, Math.ceil((oldestCounted + HOUR_MS - at) / MINUTE_MS));
    return refuse('rateLimited', {
      retryAfterMinutes,
      limit: settings.RESETS_PER_TECHNICIAN_PER_HOUR,
    });
  }
  const tenantLastMinute = tenantJobs.filter(
    (job) => at - Date.parse(job.createdAt) < MINUTE_MS,
  ).length;
  if (tenantLastMinute >= settings.RESETS_PER_TENANT_PER_MINUTE) {
    return refuse('tenantRateLimited', {
      retryAfterMinutes: 1,
      limit: settings.RESETS_PER_TENANT_PER_MINUTE,
    });
  }
  return undefined;
}
