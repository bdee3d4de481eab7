import type { Actor, ConversationPointer, Device, ResetJob } from '../shared';
import { type AuditEntry, IntuneError, InvalidQueryError, type PrerequisiteReport } from '../ports';
import type { EligibilityVerdict } from './eligibility';

/**
 * What the bot layer may ask of the domain. Every method authorizes the actor,
 * validates input, audits, and answers with data (never with localized text):
 * the bot layer turns answers into cards in the actor's language.
 */
export interface Desk {
  /** Whether activities from this tenant are served at all; nothing is kept about others. */
  acceptsTenant(tenantId: string): boolean;
  /** Audits an activity refused before any handler: not what Teams sends (see src/bot/activityIdentity.ts). */
  refuseActivity(refusal: ActivityRefusal): Promise<void>;
  /** `offset`: a later page of the same search ("Next"). */
  search(
    actor: Actor,
    where: ConversationPointer,
    query: string,
    options?: { offset?: number },
  ): Promise<SearchAnswer | Refusal>;
  /**
   * A technician pressed Pick on a results row. `pickId` is the opaque id the search
   * issued for that row (bound to the same technician and conversation); the answer
   * is a single-use pending action for the confirm card.
   */
  pick(actor: Actor, where: ConversationPointer, pickId: string): Promise<PickAnswer | Refusal>;
  /** Confirm a pending action. A repeated press answers with the same job. */
  confirm(
    actor: Actor,
    where: ConversationPointer & { activityId?: string },
    pendingActionId: string,
    ticketRef: string | undefined,
    /** The card's extra confirmation line was ticked (a row with extraConfirmationKey needs it). */
    acknowledged?: boolean,
  ): Promise<ConfirmAnswer | Refusal>;
  cancel(actor: Actor, pendingActionId: string): Promise<{ kind: 'cancelled' } | Refusal>;
  /** One of the actor's own resets, by id (a card's refresh reads that one job). */
  job(actor: Actor, jobId: string): Promise<{ kind: 'job'; job: ResetJob } | Refusal>;
  /** The actor's own resets; for an approver also the others' resets waiting for approval. */
  status(
    actor: Actor,
    limit: number,
  ): Promise<{ kind: 'status'; jobs: ResetJob[]; awaitingApproval?: ResetJob[] } | Refusal>;
  /**
   * Re-reads the passcode of one of the actor's own resets from Graph (up to 7 days)
   * and sends it privately. `target` is the typed device text, or a job id from a
   * "which one?" button.
   */
  showPasscode(
    actor: Actor,
    where: ConversationPointer,
    target: { text: string } | { jobId: string },
  ): Promise<ShowPasscodeAnswer | Refusal>;
  checkSetup(actor: Actor): Promise<{ kind: 'setup'; report: PrerequisiteReport } | Refusal>;
  audit(actor: Actor, limit: number): Promise<{ kind: 'audit'; entries: AuditEntry[] } | Refusal>;
  /** An approver approves a reset waiting for approval (first decision wins). */
  approve(actor: Actor, jobId: string): Promise<DecisionAnswer | Refusal>;
  /** An approver denies it; `reason` goes to the requester. */
  deny(actor: Actor, jobId: string, reason: string | undefined): Promise<DecisionAnswer | Refusal>;
  /** An admin makes this channel the helpdesk notification channel. */
  notifyHere(actor: Actor, where: ConversationPointer): Promise<{ kind: 'notifyHere' } | Refusal>;
}

/** An activity refused at the door. Only validated ids and field names, never raw values. */
export interface ActivityRefusal {
  reason: string;
  /** The wrong field's name. */
  field: string;
  activityType?: string;
  channelId?: string;
  tenantId?: string;
  aadObjectId?: string;
}

export interface DeviceRow {
  device: Device;
  verdict: EligibilityVerdict;
  /** Opaque, server-side id for the Pick button; only on eligible rows without a running reset. */
  pickId?: string;
  /** The list row cannot decide: pickable, and decided on the device read by id at Pick. */
  checkAtPick?: boolean;
  /** A reset of this device that is still running. */
  activeReset?: { jobId: string; requesterName?: string; requestedAt: string };
  /** Days since its last check-in, when more than STALE_DEVICE_DAYS. */
  staleDays?: number;
}

export interface SearchAnswer {
  kind: 'results';
  query: string;
  rows: DeviceRow[];
  /** Where `rows` start among the matches (a later page); 0 when absent. */
  offset?: number;
  /** The next page of devices already read: where it starts and how many it holds. */
  next?: { offset: number; count: number };
  truncated: boolean;
  /** How many devices match in all, when every match was read. */
  totalKnown?: number;
  /** Otherwise, when known: more than this many devices match. */
  totalMoreThan?: number;
  /** The one person whose name matched; their devices come first in `rows`. */
  person?: PersonChoice;
  /** Several people matched (their devices were not read): "which one?". */
  people?: PersonChoice[];
  /** More people matched than `people` lists. */
  morePeople?: boolean;
}

/** Someone found by name: what a "which one?" button searches for. */
export interface PersonChoice {
  name: string;
  upn: string;
}

export interface PickAnswer {
  kind: 'confirm';
  pendingActionId: string;
  device: Device;
  /** The platform row key (eligibility.ts): what the reset does, what the card says. */
  platform?: string;
  expiresAt: string;
  /** Days since the device's last check-in, when more than STALE_DEVICE_DAYS. */
  staleDays?: number;
}

export interface ConfirmAnswer {
  /** accepted: a new job; duplicate: this pending action was already confirmed. */
  kind: 'accepted' | 'duplicate';
  job: ResetJob;
}

/** The job as decided; `byActor` false when someone else decided first (nothing changed). */
export interface DecisionAnswer {
  kind: 'decided';
  job: ResetJob;
  byActor: boolean;
}

export type ShowPasscodeAnswer =
  /** privately: sent to the 1:1 chat, not where it was asked (a group chat or channel). */
  | { kind: 'passcodeSent'; job: ResetJob; privately: boolean }
  | { kind: 'choose'; jobs: ResetJob[] };

export type RefusalReason =
  | 'tenantNotAllowed'
  | 'notTechnician'
  | 'notAdmin'
  | 'invalidInput'
  | 'rateLimited'
  | 'tenantRateLimited'
  | 'unknownAction'
  | 'expired'
  | 'notYours'
  | 'alreadyUsed'
  | 'deviceNotFound'
  | 'notEligible'
  | 'resetInProgress'
  /** The platform's reset leaves the device unprotected and its confirmation line was not ticked. */
  | 'acknowledgementRequired'
  | 'noRecentReset'
  | 'passcodeExpired'
  /** Intune reports the reset done but gives no passcode (v1.0 nor beta): see the admin center. */
  | 'passcodeUnavailable'
  | 'passcodeNotReady'
  /** show passcode: an earlier copy could not be hidden yet, so no other copy is sent. */
  | 'previousCopyVisible'
  /** The reset removed the passcode (iOS/iPadOS): there is none to show. */
  | 'passcodeRemoved'
  | 'notInChannel'
  | 'graphUnavailable'
  /** Graph answered 403: the bot (or, delegated, the technician) lacks a permission; admins see which in check setup. */
  | 'permissionMissing'
  /** GRAPH_AUTH=delegated and no token for this technician yet: the bot layer asks them to sign in. */
  | 'signInRequired'
  /** The bot could not post to the technician's 1:1 chat (params.status, e.g. 403: app blocked or not installed). */
  | 'deliveryFailed'
  /** Approve/Deny by someone outside APPROVER_GROUP_IDS. */
  | 'notApprover'
  /** The requester pressed Approve/Deny on their own request. */
  | 'selfApproval'
  /** Someone decided first (params: decision, by). */
  | 'alreadyDecided'
  /** TICKET_REQUIRED and no ticket reference. */
  | 'ticketRequired'
  /** The ticket reference does not match TICKET_PATTERN (params: pattern). */
  | 'ticketMismatch';

export interface Refusal {
  kind: 'refused';
  reason: RefusalReason;
  /** Non-secret values for the message, e.g. {requester, since, retryAfterMinutes}. */
  params?: Record<string, string | number>;
  graphRequestId?: string;
}

export const refuse = (
  reason: RefusalReason,
  params?: Refusal['params'],
  graphRequestId?: string,
): Refusal => ({
  kind: 'refused',
  reason,
  ...(params ? { params } : {}),
  ...(graphRequestId ? { graphRequestId } : {}),
});

/**
 * Graph trouble is 'graphUnavailable' (with its request id), a 403 'permissionMissing' (no
 * internals: admins see the permission in check setup); a query Intune would not send, 'invalidInput'.
 */
export function graphRefusal(error: unknown, invalidParams?: Refusal['params']): Refusal {
  if (error instanceof InvalidQueryError) return refuse('invalidInput', invalidParams);
  if (error instanceof IntuneError && error.isForbidden)
    return refuse('permissionMissing', undefined, error.requestId);
  if (error instanceof IntuneError)
    return refuse('graphUnavailable', { status: error.status }, error.requestId);
  throw error;
}
