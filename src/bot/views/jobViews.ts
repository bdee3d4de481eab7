import { resetBehaviourOf } from '../../domain/desk';
import type { ResetJob } from '../../domain/shared';
import type { NotificationKind } from '../../domain/ports';
import { formatDuration, formatTime, t } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';
import { adminCenterUrl, jobFacts, jobTicketFacts, summaryFacts } from './facts';

export interface JobViewOptions {
  /** Minutes a pending reset may take before it times out (for the timeout reason). */
  resetTimeoutMinutes: number;
  /** TICKET_URL_TEMPLATE: the ticket reference becomes a link. */
  ticketUrlTemplate?: string;
}

/**
 * The plain-language reason of a notice. A reset Graph refused with 403 did nothing on the
 * device: say the bot lacks a permission. Other failures are worded per platform row.
 */
function reasonKey(kind: NotificationKind, job: ResetJob): string {
  if (kind === 'failed' && job.failure?.status === 403)
    return 'notification.failed.reasonPermission';
  const reset = resetBehaviourOf(job.platform);
  if (kind === 'failed') return reset.failedReasonKey;
  if (kind === 'notSupported') return reset.notSupportedReasonKey;
  return `notification.${kind}.reason`;
}

/** "Passcode removed": a notice with no secret (iOS/iPadOS Remove passcode). */
function removedSpec(ctx: ViewContext, job: ResetJob): CardSpec {
  const device = job.device.name;
  return {
    name: 'sentPrivately',
    data: {
      title: t(ctx.locale, 'notification.passcodeRemoved.title', { device }),
      message: t(ctx.locale, 'notification.passcodeRemoved.reason', { device }),
      facts: jobFacts(ctx, job),
    },
  };
}

/** Notices about a decision on approval rather than about Intune: no error code to show. */
const APPROVAL_NOTICES: ReadonlySet<NotificationKind> = new Set(['denied', 'approvalExpired']);

export function requesterName(ctx: ViewContext, job: ResetJob): string {
  return job.requester.name || job.requester.upn || t(ctx.locale, 'common.someone');
}

/**
 * A failure, reminder or timeout notice: plain-language reason, error code, request
 * time, Graph request-id and the Intune admin-center link. Never a passcode.
 */
export function notificationSpec(
  ctx: ViewContext,
  kind: NotificationKind,
  job: ResetJob,
  options: JobViewOptions & { forChannel?: boolean },
): CardSpec {
  if (kind === 'passcodeRemoved') return removedSpec(ctx, job);
  const device = job.device.name;
  const name =
    kind === 'stillPending' || kind === 'signInNeeded'
      ? 'reminder'
      : kind === 'timedOut'
        ? 'timeout'
        : 'failure';
  return {
    name,
    data: {
      channelIntro: options.forChannel
        ? t(ctx.locale, 'notification.channelIntro', { requester: requesterName(ctx, job) })
        : '',
      title: t(ctx.locale, `notification.${kind}.title`, { device }),
      reason: t(ctx.locale, reasonKey(kind, job), {
        device,
        duration: formatDuration(ctx.locale, options.resetTimeoutMinutes),
        ...decisionParams(ctx, job),
      }),
      facts: jobFacts(ctx, job, {
        failure: !APPROVAL_NOTICES.has(kind),
        ...ticketLink(options),
      }),
      adminCenterTitle: t(ctx.locale, 'common.openAdminCenter'),
      adminCenterUrl: adminCenterUrl(job.device.id),
    },
  };
}

const FAILURE_KINDS: Partial<Record<ResetJob['state'], NotificationKind>> = {
  failed: 'failed',
  notSupported: 'notSupported',
  canceled: 'canceled',
  timedOut: 'timedOut',
  denied: 'denied',
  approvalExpired: 'approvalExpired',
};

const ticketLink = (options: { ticketUrlTemplate?: string }) =>
  options.ticketUrlTemplate ? { ticketUrlTemplate: options.ticketUrlTemplate } : {};

/** Who decided on approval and why, for the messages that say so. */
function decisionParams(ctx: ViewContext, job: ResetJob): Record<string, string> {
  const decision = job.approval?.decision;
  if (!decision) return {};
  const by = decision.by?.name || decision.by?.upn || t(ctx.locale, 'common.someone');
  return {
    decider: by,
    reason: decision.reason ?? t(ctx.locale, 'approval.noReason'),
    minutes: String(
      Math.round(
        (Date.parse(job.approval!.expiresAt) - Date.parse(job.approval!.requestedAt)) / 60_000,
      ),
    ),
  };
}

/**
 * The card where the reset was confirmed, for the job's current state. In a group chat or
 * channel it says only that the passcode went to the requester privately.
 */
export function jobOriginSpec(ctx: ViewContext, job: ResetJob, options: JobViewOptions): CardSpec {
  const failure = FAILURE_KINDS[job.state];
  if (failure) return notificationSpec(ctx, failure, job, options);
  if (job.state === 'done' && resetBehaviourOf(job.platform).delivers === 'removalNotice') {
    return removedSpec(ctx, job);
  }
  if (job.state === 'done') {
    const delivery = job.delivery?.state;
    if (delivery === 'failed') {
      const kind =
        job.delivery?.lastError === 'passcodeUnavailable'
          ? 'passcodeUnavailable'
          : 'deliveryFailed';
      return notificationSpec(ctx, kind, job, options);
    }
    if (delivery === 'sent' || delivery === 'hidden') {
      return {
        name: 'sentPrivately',
        data: {
          title: t(ctx.locale, 'sent.title'),
          message:
            job.origin.kind === 'personal'
              ? t(ctx.locale, 'sent.here')
              : t(ctx.locale, 'sent.privately', { name: requesterName(ctx, job) }),
          facts: jobFacts(ctx, job, ticketLink(options)),
        },
      };
    }
    return {
      name: 'waiting',
      data: {
        title: t(ctx.locale, 'sent.title'),
        message: t(ctx.locale, 'sent.delivering'),
        facts: jobFacts(ctx, job, ticketLink(options)),
      },
    };
  }
  const awaiting = job.state === 'awaitingApproval';
  return {
    name: 'waiting',
    data: {
      title: t(ctx.locale, awaiting ? 'approval.waitingTitle' : 'waiting.title'),
      message: awaiting
        ? t(ctx.locale, 'approval.waitingText', {
            time: formatTime(ctx.locale, job.approval?.expiresAt ?? job.updatedAt, ctx.timeZone),
          })
        : t(ctx.locale, 'waiting.text'),
      facts: jobFacts(ctx, job, ticketLink(options)),
    },
  };
}

/**
 * The only card that ever holds a passcode: sent to the requester's 1:1 chat. The
 * caller reveals the passcode at the moment of sending and keeps no copy.
 */
export function passcodeSpec(
  ctx: ViewContext,
  job: ResetJob,
  revealed: string,
  options: { hideAt: string; visibleMinutes: number; reRead?: boolean; ticketUrlTemplate?: string },
): CardSpec {
  const device = job.device.name;
  return {
    name: 'passcode',
    data: {
      title: t(ctx.locale, options.reRead ? 'passcode.titleAgain' : 'passcode.title', { device }),
      // `show passcode`: the same passcode as the earlier reset, read again from Intune.
      reReadNote: options.reRead
        ? t(ctx.locale, 'passcode.reRead', {
            time: formatTime(ctx.locale, job.finishedAt ?? job.submittedAt, ctx.timeZone),
          })
        : '',
      passcodeLabel: t(ctx.locale, 'passcode.label'),
      passcode: revealed,
      facts: [
        ...summaryFacts(ctx, job.device),
        ...jobTicketFacts(ctx, job, options.ticketUrlTemplate),
      ],
      expiryNote: t(ctx.locale, 'passcode.expiry', {
        time: formatTime(ctx.locale, options.hideAt, ctx.timeZone),
        minutes: options.visibleMinutes,
        device,
      }),
      hint: t(ctx.locale, 'passcode.hint'),
    },
  };
}

/** The message the passcode will be put in, posted first without it (see deliverIfDue). */
export function passcodeComingSpec(ctx: ViewContext, job: ResetJob): CardSpec {
  const device = job.device.name;
  return {
    name: 'passcodeHidden',
    data: {
      title: t(ctx.locale, 'passcodeComing.title', { device }),
      message: t(ctx.locale, 'passcodeComing.text', { device }),
      facts: summaryFacts(ctx, job.device),
    },
  };
}

export function passcodeHiddenSpec(
  ctx: ViewContext,
  job: ResetJob,
  visibleMinutes: number,
  ticketUrlTemplate?: string,
): CardSpec {
  const device = job.device.name;
  return {
    name: 'passcodeHidden',
    data: {
      title: t(ctx.locale, 'passcodeHidden.title'),
      message: t(ctx.locale, 'passcodeHidden.text', { device, minutes: visibleMinutes }),
      facts: [...summaryFacts(ctx, job.device), ...jobTicketFacts(ctx, job, ticketUrlTemplate)],
    },
  };
}
