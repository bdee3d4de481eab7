import type { Intune, ResetResultOrError } from '../ports';
import { errorName } from '../audit';
import type { JobDocument } from '../records';
import { requesterIntune } from '../notifications';
import type { TrackerContext } from '../context';

export interface ResultReads {
  /** By device id. A job missing here was not read this cycle. */
  results: Map<string, ResetResultOrError>;
  /** Keys of jobs whose requester has no token (delegated mode): they wait for a sign-in. */
  awaitingSignIn: Set<string>;
}

/**
 * Batched reads of deviceActionResults for the jobs due a check (Intune batches 20
 * devices per request). App mode: one read for all of them, with the app's token.
 * Delegated mode: one read per requester, with that requester's own token, so Intune
 * RBAC and scope tags apply to following a reset as they did to starting it.
 */
export async function readResetResults(
  ctx: Pick<TrackerContext, 'access' | 'graph' | 'logger' | 'readBudget'>,
  due: JobDocument[],
  now: Date,
): Promise<ResultReads> {
  const reads: ResultReads = { results: new Map(), awaitingSignIn: new Set() };
  for (const group of byRequester(ctx, due)) {
    if (ctx.graph.isPaused(now)) break;
    const first = group[0];
    if (!first) continue;
    let intune: Intune | undefined;
    try {
      intune = await requesterIntune(ctx, first.value);
      if (!intune) {
        for (const doc of group) reads.awaitingSignIn.add(doc.key);
        continue;
      }
      const deviceIds = group.map((doc) => doc.value.device.id);
      // Counted before the call: Intune counts a read that fails, too.
      ctx.readBudget.spend(new Set(deviceIds).size, now);
      const read = await intune.getResetResults(deviceIds);
      for (const [deviceId, outcome] of read) reads.results.set(deviceId, outcome);
    } catch (error) {
      // Throttled as a whole: pause every Graph call of this instance, not just these jobs
      // (each job's next read is planned by resultTracking).
      ctx.graph.holdOff(error, now, 0);
      ctx.logger.warn(
        { err: errorName(error), jobs: group.length },
        'Reading reset results failed',
      );
    }
  }
  return reads;
}

function byRequester(ctx: Pick<TrackerContext, 'access'>, due: JobDocument[]): JobDocument[][] {
  if (ctx.access.mode === 'app') return due.length ? [due] : [];
  const groups = new Map<string, JobDocument[]>();
  for (const doc of due) {
    const key = `${doc.value.tenantId}|${doc.value.requester.aadObjectId}`.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  return [...groups.values()];
}
