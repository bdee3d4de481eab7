import type { ResetJob, ResetResult } from '../shared';

/**
 * Is this resetPasscode entry the result of this job's submit (not an older reset)?
 * - Once seen, our entry's startDateTime is kept: that entry or a later one counts.
 * - Before, the entry read just before submitting is the baseline: anything newer is
 *   ours. Comparing Graph's time with Graph's time avoids trusting our clock.
 * - Jobs without a baseline fall back to "started after the job was created".
 */
export function isOurAction(result: ResetResult | undefined, job: ResetJob): result is ResetResult {
  if (!result) return false;
  const started = result.startDateTime ? Date.parse(result.startDateTime) : NaN;
  if (job.actionStartDateTime) return started >= Date.parse(job.actionStartDateTime);
  if (job.previousActionStartDateTime === null) return true;
  if (job.previousActionStartDateTime !== undefined) {
    return started > Date.parse(job.previousActionStartDateTime);
  }
  return started > Date.parse(job.createdAt);
}
