import type { ConversationPointer } from './actor';

/**
 * A reset job: one passcode reset of one device for one technician.
 * requested → submitted → pending/active → done | failed | canceled | notSupported | timedOut.
 * `submitting` marks "about to call Graph": after a crash the tracker reads
 * deviceActionResults before it would ever submit again.
 */
export type JobState =
  | 'requested'
  | 'submitting'
  | 'submitted'
  | 'pending'
  | 'active'
  | 'done'
  | 'failed'
  | 'canceled'
  | 'notSupported'
  | 'timedOut';

export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set([
  'done',
  'failed',
  'canceled',
  'notSupported',
  'timedOut',
]);

export type DeliveryState = 'pending' | 'sent' | 'hidden' | 'failed';

export interface DeviceSummary {
  id: string;
  name: string;
  ownerUpn?: string;
  ownerName?: string;
  model?: string;
  serialNumber?: string;
  osVersion?: string;
  lastSyncDateTime?: string;
}

export interface ResetJob {
  id: string;
  tenantId: string;
  device: DeviceSummary;
  requester: { aadObjectId: string; upn?: string; name?: string; locale: string };
  /** Where the reset was confirmed (the card to update lives there). */
  origin: ConversationPointer & { activityId?: string };
  ticketRef?: string;
  state: JobState;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  finishedAt?: string;
  graphRequestId?: string;
  /** Graph's startDateTime of our action, to tell it from older results. */
  actionStartDateTime?: string;
  errorCode?: number;
  /** Tracker bookkeeping. */
  nextCheckAt?: string;
  checks: number;
  remindersSent: number;
  /** Set while one instance owns the job (multi-instance tracking). */
  lease?: { owner: string; until: string };
  delivery?: {
    state: DeliveryState;
    attempts: number;
    conversationKey?: string;
    messageId?: string;
    sentAt?: string;
    hideAt?: string;
    lastError?: string;
  };
  /** Notifications already sent, so a restart never repeats one (e.g. "failed:requester"). */
  notified: string[];
}
