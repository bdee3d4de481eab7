import { QUICK_TRACKING_MS, trackingAgeMs } from '../desk';
import type { JobDocument } from '../records';

/**
 * Share of a cycle's reads kept for older resets when young ones alone could use them
 * all: a backlog of devices that have not checked in is still read, only later.
 */
const OLDER_SHARE = 0.25;

/**
 * Which of the jobs due a check are read now, given `available` reads (ReadBudget).
 * Young resets (QUICK_TRACKING_MS) first, as their technician is likely still in the
 * chat; then the older ones. Within each group the most overdue first, so a job left
 * out is first in line next cycle and none is starved. Older jobs keep a quarter of
 * the reads whenever they have any due, so a steady stream of new resets cannot hold
 * back a backlog for long.
 */
export function jobsToReadNow(due: JobDocument[], available: number, now: Date): JobDocument[] {
  if (available <= 0) return [];
  const young: JobDocument[] = [];
  const older: JobDocument[] = [];
  for (const doc of due) (isYoung(doc, now) ? young : older).push(doc);
  young.sort(mostOverdueFirst);
  older.sort(mostOverdueFirst);
  const keptForOlder = Math.min(older.length, Math.ceil(available * OLDER_SHARE));
  const youngNow = young.slice(0, Math.max(0, available - keptForOlder));
  const olderNow = older.slice(0, available - youngNow.length);
  return [...youngNow, ...olderNow];
}

const isYoung = (doc: JobDocument, now: Date): boolean =>
  trackingAgeMs(doc.value, now) < QUICK_TRACKING_MS;

function mostOverdueFirst(a: JobDocument, b: JobDocument): number {
  return (a.value.nextCheckAt ?? '').localeCompare(b.value.nextCheckAt ?? '');
}
