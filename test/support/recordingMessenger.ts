import type { ResetJob } from '../../src/domain/shared/job';
import type {
  Audience,
  Messenger,
  NotificationKind,
  SentMessage,
} from '../../src/domain/ports/messenger';
import type { Passcode } from '../../src/domain/shared/passcode';

export interface RecordedDelivery {
  jobId: string;
  deviceId: string;
  /** Revealed here only so tests can prove the value never reached storage, audit or logs. */
  passcode: string;
  message: SentMessage;
  /** The hide time the card states. */
  hideAt: string;
}

export interface RecordedNotification {
  kind: NotificationKind;
  audience: Audience;
  job: ResetJob;
}

type Step = { fail: Error } | { hang: true } | { hold: Promise<void>; started: () => void };

/**
 * A Messenger that records what the domain asked for and can be told to fail or
 * to hang (a hanging send stands in for a process killed mid-send).
 */
export class RecordingMessenger implements Messenger {
  readonly deliveries: RecordedDelivery[] = [];
  readonly hides: Array<{ jobId: string; message: SentMessage }> = [];
  /** Messages posted (without the passcode) to be filled by deliverPasscode. */
  readonly prepared: Array<{ jobId: string; message: SentMessage }> = [];
  readonly notifications: RecordedNotification[] = [];
  readonly originUpdates: Array<{ jobId: string; state: string }> = [];
  /** Approval cards sent: one entry per approver reached (the channel counts as one). */
  readonly approvalRequests: Array<{ jobId: string; approvers: string[] }> = [];
  readonly approvalCardUpdates: Array<{ jobId: string; state: string; decidedBy?: string }> = [];
  /** Who requestApproval tries privately when there is no channel (aadObjectIds). */
  knownPeople: string[] = [];
  /** false: like a deployment without a helpdesk channel (approvers are reached 1:1). */
  hasChannel = true;
  /** Every deliverPasscode call (the update with the passcode), including failed and hanging ones. */
  deliveryCalls = 0;
  private readonly deliverySteps: Step[] = [];
  private readonly hideSteps: Step[] = [];
  private readonly prepareSteps: Step[] = [];
  private readonly notifySteps: Step[] = [];
  private messageCount = 0;

  failDeliveries(...errors: Error[]): this {
    this.deliverySteps.push(...errors.map((fail) => ({ fail })));
    return this;
  }

  hangNextDelivery(): this {
    this.deliverySteps.push({ hang: true });
    return this;
  }

  /** The next send waits until `release()`; `started` resolves when it begins. */
  holdNextDelivery(): { started: Promise<void>; release: () => void } {
    let release!: () => void;
    let started!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const begun = new Promise<void>((resolve) => (started = resolve));
    this.deliverySteps.push({ hold, started });
    return { started: begun, release };
  }

  failPrepares(...errors: Error[]): this {
    this.prepareSteps.push(...errors.map((fail) => ({ fail })));
    return this;
  }

  failHides(...errors: Error[]): this {
    this.hideSteps.push(...errors.map((fail) => ({ fail })));
    return this;
  }

  failNotifications(...errors: Error[]): this {
    this.notifySteps.push(...errors.map((fail) => ({ fail })));
    return this;
  }

  async preparePasscodeMessage(job: ResetJob): Promise<SentMessage> {
    await this.play(this.prepareSteps);
    const message = {
      conversationKey: `personal:${job.requester.aadObjectId}`,
      messageId: `msg-${++this.messageCount}`,
    };
    this.prepared.push({ jobId: job.id, message });
    return message;
  }

  async deliverPasscode(
    job: ResetJob,
    passcode: Passcode,
    message: SentMessage,
    options: { hideAt: string },
  ): Promise<void> {
    this.deliveryCalls++;
    await this.play(this.deliverySteps);
    this.deliveries.push({
      jobId: job.id,
      deviceId: job.device.id,
      passcode: passcode.reveal(),
      message,
      hideAt: options.hideAt,
    });
  }

  async hidePasscode(job: ResetJob, message: SentMessage): Promise<void> {
    await this.play(this.hideSteps);
    this.hides.push({ jobId: job.id, message });
  }

  async updateOriginCard(job: ResetJob): Promise<void> {
    this.originUpdates.push({ jobId: job.id, state: job.state });
  }

  async notify(kind: NotificationKind, audience: Audience, job: ResetJob): Promise<void> {
    await this.play(this.notifySteps);
    this.notifications.push({ kind, audience, job: structuredClone(job) });
  }

  async requestApproval(
    job: ResetJob,
    isApprover: (tenantId: string, aadObjectId: string) => Promise<boolean>,
  ): Promise<SentMessage[]> {
    const approvers: string[] = [];
    if (this.hasChannel) approvers.push('helpdeskChannel');
    else {
      for (const id of this.knownPeople) {
        if (id !== job.requester.aadObjectId && (await isApprover(job.tenantId, id))) {
          approvers.push(id);
        }
      }
    }
    this.approvalRequests.push({ jobId: job.id, approvers });
    return approvers.map((to) => ({
      conversationKey: to === 'helpdeskChannel' ? 'channel:helpdesk' : `personal:${to}`,
      messageId: `msg-${++this.messageCount}`,
    }));
  }

  async updateApprovalCards(job: ResetJob): Promise<void> {
    this.approvalCardUpdates.push({
      jobId: job.id,
      state: job.state,
      ...(job.approval?.decision?.by ? { decidedBy: job.approval.decision.by.aadObjectId } : {}),
    });
  }

  notificationsFor(jobId: string): Array<`${NotificationKind}:${Audience}`> {
    return this.notifications
      .filter((n) => n.job.id === jobId)
      .map((n) => `${n.kind}:${n.audience}` as const);
  }

  private async play(steps: Step[]): Promise<void> {
    const step = steps.shift();
    if (!step) return;
    if ('hang' in step) await new Promise<never>(() => undefined);
    else if ('hold' in step) {
      step.started();
      await step.hold;
    } else throw step.fail;
  }
}
