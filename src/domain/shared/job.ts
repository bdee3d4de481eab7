import type { ConversationPointer } from './actor';

/**
 * A reset job: one passcode reset of one device for one technician.
 * requested → submitted → pending/active → done | failed | canceled | notSupported | timedOut.
 * With APPROVAL on, a job starts `awaitingApproval` and moves to `requested` (approved),
 * `denied` or `approvalExpired`; nothing reaches Graph before it is approved.
 * `submitting` marks "about to call Graph": after a crash the tracker reads
 * deviceActionResults before it would ever submit again.
 */
export type JobState =
  | 'awaitingApproval'
  | 'requested'
  | 'submitting'
  | 'submitted'
  | 'pending'
  | 'active'
  | 'done'
  | 'failed'
  | 'canceled'
  | 'notSupported'
  | 'timedOut'
  | 'denied'
  | 'approvalExpired';

export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set([
  'done',
  'failed',
  'canceled',
  'notSupported',
  'timedOut',
  'denied',
  'approvalExpired',
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
  /**
   * The platform key of the device's row in eligibility.ts, when known: it decides what the
   * reset does and what is delivered (jobs without one are Windows 10 Mobile's).
   */
  platform?: string;
  /** Set when the reset needed a second person's approval (APPROVAL). */
  approval?: ApprovalRecord;
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
  /** Set while one instance performs a side effect on the job (submit, send, hide, notify). */
  lease?: { owner: string; until: string };
  /**
   * The instance tracking the job (reading Graph, and the only one that may take `lease`);
   * renewed every few cycles, given back on a graceful stop (see trackingLease.ts).
   */
  trackedBy?: { owner: string; until: string };
  delivery?: {
    state: DeliveryState;
    attempts: number;
    conversationKey?: string;
    messageId?: string;
    sentAt?: string;
    hideAt?: string;
    /** A status code or error name only: never a message text that could carry anything. */
    lastError?: string;
    /** When a failed send (or hide) may be tried again. */
    nextAttemptAt?: string;
    hideAttempts?: number;
    /**
     * Every message that holds (or may hold) this job's passcode and is not hidden yet:
     * recorded before the passcode is put in, removed once hidden. The tracker hides the
     * current one at `hideAt` and any other at once, and keeps retrying.
     */
    copies?: Array<{ conversationKey: string; messageId: string }>;
    /** When a failed hide may be tried again. */
    nextHideAt?: string;
  };
  /** Notifications already sent, so a restart never repeats one (e.g. "failed:requester"). */
  notified: string[];
  /** The pending action this job was confirmed from. */
  pendingActionId?: string;
  /**
   * startDateTime of the device's resetPasscode entry read just before submitting
   * (null: there was none). A later entry is ours, whatever the clocks say.
   */
  previousActionStartDateTime?: string | null;
  submitAttempts?: number;
  /** Why Graph refused or lost the job (no passcode, no message text from users). */
  failure?: { code: string; status?: number; requestId?: string };
  /** Notifications recorded in `notified` but not sent yet (sent by the tracker, retried). */
  outbox?: OutboxEntry[];
}

export interface Person {
  aadObjectId: string;
  upn?: string;
  name?: string;
}

export interface ApprovalRecord {
  requestedAt: string;
  expiresAt: string;
  /** The first decision; later presses change nothing. */
  decision?: {
    outcome: 'approved' | 'denied' | 'expired';
    at: string;
    by?: Person;
    reason?: string;
  };
  /** The approval cards sent (channel, or approvers 1:1), to update once decided. */
  cards?: Array<{ conversationKey: string; messageId: string }>;
  /** Tries to send the approval cards; `posted` once sent (or given up). */
  postAttempts?: number;
  posted?: boolean;
  /** Every approval card shows the decision. */
  cardsUpdated?: boolean;
}

export interface OutboxEntry {
  /** The `notified` key it was recorded under, e.g. "failed:requester" or "stillPending#2:requester". */
  key: string;
  kind: NotificationKind;
  audience: Audience;
  attempts: number;
  nextAttemptAt?: string;
  /** Set while a send is in flight: found set later means the outcome is unknown. */
  sending?: boolean;
}

export const isFinalState = (state: JobState): boolean => FINAL_JOB_STATES.has(state);

export type NotificationKind =
  | 'failed'
  | 'notSupported'
  | 'canceled'
  | 'stillPending'
  | 'timedOut'
  | 'deliveryFailed'
  /** Intune reports the reset done but neither v1.0 nor beta gives the passcode: see the admin center. */
  | 'passcodeUnavailable'
  /** To the helpdesk channel: a notice for the requester could not be delivered after every retry. */
  | 'requesterUnreachable'
  /** GRAPH_AUTH=delegated: the requester's token is gone; the job waits until they sign in again. */
  | 'signInNeeded'
  /** To the requester: an iOS/iPadOS Remove passcode is done; the device has no passcode (no secret). */
  | 'passcodeRemoved'
  /** To the requester: an approver denied the reset (with their reason). */
  | 'denied'
  /** To the requester: nobody approved the reset in time. */
  | 'approvalExpired';

export type Audience = 'requester' | 'helpdeskChannel';
