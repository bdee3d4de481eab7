import { MINUTE_MS } from '../ports';
import { ALL_RESET_PLATFORMS } from './eligibility';
import type { ResetJob } from '../shared';

/**
 * The settings the domain reads: the slice of Config (src/config.ts documents each) it
 * needs, declared here so the domain does not import the configuration module; a Config
 * is one (createDesk takes it as is), and tests can build one by hand.
 */
export interface DeskSettings {
  RESET_PLATFORMS: string[];
  PASSCODE_VISIBLE_MINUTES: number;
  PENDING_ACTION_MINUTES: number;
  STALE_DEVICE_DAYS: number;
  RESETS_PER_TECHNICIAN_PER_HOUR: number;
  RESETS_PER_TENANT_PER_MINUTE: number;
  REMINDER_AFTER_MINUTES: number;
  RESET_TIMEOUT_MINUTES: number;
  TRACKER_INTERVAL_SECONDS: number;
  ALLOWED_TENANT_IDS: string[];
  HELPDESK_GROUP_IDS: string[];
  ADMIN_GROUP_IDS: string[];
  APPROVAL: readonly string[] | 'all' | 'off';
  APPROVER_GROUP_IDS: string[];
  APPROVAL_EXPIRY_MINUTES: number;
  TICKET_REQUIRED: boolean;
  TICKET_PATTERN: string | undefined;
  AZURE_TENANT_ID: string | undefined;
  MicrosoftAppTenantId: string | undefined;
  localDevelopment: boolean;
}

/** RESET_PLATFORMS as a set of row keys (eligibility.ts); every row when a hand-built slice leaves it out. */
export function enabledPlatforms(
  settings: Partial<Pick<DeskSettings, 'RESET_PLATFORMS'>>,
): ReadonlySet<string> {
  return settings.RESET_PLATFORMS ? new Set(settings.RESET_PLATFORMS) : ALL_RESET_PLATFORMS;
}

/** 10 % of Intune's 2,000 requests per 20 s per app (see POLICY.trackerReadsPerWindow). */
const TRACKER_READS_PER_WINDOW = 200;

/** Fixed policy: numbers that are design choices rather than deployment settings. */
export const POLICY = {
  /** Devices shown on a results card. */
  searchLimit: 10,
  /**
   * Devices read in the same single Graph request, so a card with more matches than it
   * shows can say how many there are (or "more than" this many).
   */
  searchCountLimit: 50,
  /** Intune keeps a reset's passcode readable this long. */
  passcodeReadableDays: 7,
  maxReminders: 3,
  maxDeliveryAttempts: 5,
  maxHideAttempts: 5,
  maxNotifyAttempts: 4,
  /** Longer than any single step (a send waits at most ~30 s), short enough to resume soon. */
  leaseMs: 2 * MINUTE_MS,
  /** A tracking lease lasts this many tracker cycles (see trackingLease.ts)... */
  trackingLeaseCycles: 4,
  /** ...and at least this long. */
  minTrackingLeaseMs: 5_000,
  /** Jobs advanced side by side in one cycle (deliveries, notifications). */
  parallelJobs: 4,
  /**
   * The tracker's Graph reads of reset results per rolling window (readBudget.ts), per
   * instance: 10 % of Intune's 2,000 requests per 20 s per app, counting each device (a
   * $batch sub-request, as Intune throttles them) as one read. Spent on the most overdue
   * jobs first, so a job left out is first in line next time and none is starved.
   * Reads go first to resets in their first minutes (readPriority.ts: a technician is
   * likely waiting), with a quarter of the budget kept for the older ones.
   * Trade-off: the budget wins over the quick interval. Up to ~200 jobs due at once are
   * read at their interval; a burst of 1,000 brand-new resets is read about every 2
   * minutes each and 5,000 about every 10 (the old cap of 200 per 5 s cycle read 1,000
   * every 25 s but spent a third or more of the tenant's budget, leaving Intune's own
   * admin tools and our searches to be throttled). A realistic backlog fits anyway, as
   * trackingIntervalMs() slows down with age: 5,000 resets older than an hour need about
   * 170 reads per 20 s. Several instances each have this budget. Not counted here:
   * submissions (one read and one POST per confirm, bounded by the rate limits) and
   * searches.
   */
  trackerReadsPerWindow: TRACKER_READS_PER_WINDOW,
  trackerReadWindowMs: 20_000,
  /** Jobs read from the store side by side when listing the jobs needing work. */
  jobReadConcurrency: 16,
  /**
   * Finished jobs are deleted this long after their last change (housekeeping.ts). Intune
   * keeps a passcode readable 7 days; the audit log keeps the history.
   */
  finishedJobRetentionDays: 30,
  roleCacheMs: 5 * MINUTE_MS,
  maxStatusJobs: 50,
  maxAuditEntries: 200,
} as const;

const RETRY_BACKOFF_MS = [30_000, 2 * MINUTE_MS, 10 * MINUTE_MS, 30 * MINUTE_MS];

/** Wait before try number `attempts + 1` of a failed send or submit. */
export function retryBackoffMs(attempts: number): number {
  const index = Math.min(Math.max(attempts, 1), RETRY_BACKOFF_MS.length) - 1;
  return RETRY_BACKOFF_MS[index] ?? 30 * MINUTE_MS;
}

/** A reset this young is read every TRACKER_INTERVAL_SECONDS: its technician is likely still waiting. */
export const QUICK_TRACKING_MS = 3 * MINUTE_MS;

/** How long a job has been tracked: since Intune accepted the reset (or since it was asked for). */
export function trackingAgeMs(job: Pick<ResetJob, 'submittedAt' | 'createdAt'>, now: Date): number {
  return now.getTime() - Date.parse(job.submittedAt ?? job.createdAt);
}

/**
 * How long until the next Graph read of a job that has run for `ageMs`: quick while a
 * device that is online would answer, slower for one that has not checked in.
 */
export function trackingIntervalMs(ageMs: number, quickIntervalSeconds: number): number {
  const quick = quickIntervalSeconds * 1000;
  if (ageMs < QUICK_TRACKING_MS) return quick;
  if (ageMs < 15 * MINUTE_MS) return Math.max(quick, 30_000);
  if (ageMs < 60 * MINUTE_MS) return Math.max(quick, 2 * MINUTE_MS);
  return Math.max(quick, 10 * MINUTE_MS);
}
