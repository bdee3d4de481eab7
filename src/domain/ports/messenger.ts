import type { NotificationKind, Audience, ResetJob, Passcode } from '../shared';
export type { NotificationKind, Audience };

/**
 * How the domain reaches people. The bot layer implements it with proactive
 * messages; tests implement it with recording fakes.
 */
export interface Messenger {
  /**
   * Posts the message that will carry the passcode into the requester's 1:1 chat (created
   * when needed), WITHOUT the passcode. A post is not idempotent (a connector that answers
   * 504 after posting makes the client post again), so the secret never travels in one.
   */
  preparePasscodeMessage(job: ResetJob): Promise<SentMessage>;
  /**
   * Puts the passcode into that stored message with an update, which is idempotent: a
   * retried or replayed update lands in the same message, whose id the job already holds.
   * `hideAt`: when the tracker hides it (the time the card states, the one the job keeps).
   * `reRead`: `show passcode` read it again from Graph, and the card says so.
   */
  deliverPasscode(
    job: ResetJob,
    passcode: Passcode,
    message: SentMessage,
    options: { hideAt: string; reRead?: boolean },
  ): Promise<void>;
  /** Replaces a delivered passcode message with "passcode hidden". */
  hidePasscode(job: ResetJob, message: SentMessage): Promise<void>;
  /** Refreshes the card where the reset was confirmed (never shows a passcode). */
  updateOriginCard(job: ResetJob): Promise<void>;
  notify(kind: NotificationKind, audience: Audience, job: ResetJob): Promise<void>;
  /**
   * Sends the approval card (Approve / Deny) to the helpdesk channel, or, with no channel,
   * privately to each known person `isApprover` accepts (never the requester).
   */
  requestApproval(
    job: ResetJob,
    isApprover: (tenantId: string, aadObjectId: string) => Promise<boolean>,
  ): Promise<SentMessage[]>;
  /** Updates every approval card sent for the job to show the decision. */
  updateApprovalCards(job: ResetJob): Promise<void>;
}

export interface SentMessage {
  conversationKey: string;
  messageId: string;
}

/** A send that failed; permanent ones (403 blocked / not installed) are not retried forever. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
