import { supportedRule } from '../../domain/desk';
import type { ResetJob } from '../../domain/shared';
import { formatTime, t } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';
import { jobFacts } from './facts';
import { requesterName, type JobViewOptions } from './jobViews';

/** What approving does on the job's platform (its eligibility row), as the confirm card says it. */
function consequences(ctx: ViewContext, job: ResetJob): string[] {
  const reset = supportedRule(job.platform)?.reset;
  const lines = (reset?.consequenceKeys ?? ['confirm.step1', 'confirm.step2']).map((key) =>
    t(ctx.locale, key, { device: job.device.name }),
  );
  if (!reset || reset.delivers === 'passcodePrivately') {
    lines.push(t(ctx.locale, 'approval.step3', { requester: requesterName(ctx, job) }));
  }
  return lines;
}

/**
 * The approval card (helpdesk channel, or approvers 1:1): device, owner, requester, ticket,
 * what approving does, a reason for Deny, Approve and Deny. Never a passcode.
 */
export function approvalRequestSpec(
  ctx: ViewContext,
  job: ResetJob,
  options: JobViewOptions & { passcodeVisibleMinutes: number },
): CardSpec {
  return {
    name: 'approval',
    data: {
      title: t(ctx.locale, 'approval.title', {
        requester: requesterName(ctx, job),
        device: job.device.name,
      }),
      facts: jobFacts(ctx, job, {
        ...(options.ticketUrlTemplate ? { ticketUrlTemplate: options.ticketUrlTemplate } : {}),
      }),
      whatHappens: t(ctx.locale, 'approval.whatHappens'),
      steps: consequences(ctx, job),
      reasonLabel: t(ctx.locale, 'approval.reasonLabel'),
      reasonPlaceholder: t(ctx.locale, 'approval.reasonPlaceholder'),
      expiresNote: t(ctx.locale, 'approval.expires', {
        time: formatTime(ctx.locale, job.approval?.expiresAt ?? job.updatedAt, ctx.timeZone),
      }),
      approveTitle: t(ctx.locale, 'approval.approve'),
      denyTitle: t(ctx.locale, 'approval.deny'),
      jobId: job.id,
    },
  };
}

/** What every copy of the approval card shows once someone decided (or nobody did in time). */
export function approvalDecidedSpec(
  ctx: ViewContext,
  job: ResetJob,
  options: JobViewOptions,
): CardSpec {
  const decision = job.approval?.decision;
  const decider = decision?.by?.name || decision?.by?.upn || t(ctx.locale, 'common.someone');
  const params = {
    decider,
    device: job.device.name,
    requester: requesterName(ctx, job),
    reason: decision?.reason ?? t(ctx.locale, 'approval.noReason'),
    time: formatTime(ctx.locale, decision?.at ?? job.updatedAt, ctx.timeZone),
  };
  return {
    name: 'waiting',
    data: {
      title: decision
        ? t(ctx.locale, `approval.${decision.outcome}.title`, params)
        : t(ctx.locale, 'approval.waitingTitle'),
      message: decision
        ? t(ctx.locale, `approval.${decision.outcome}.text`, params)
        : t(ctx.locale, 'approval.waitingText', {
            time: formatTime(ctx.locale, job.approval?.expiresAt ?? job.updatedAt, ctx.timeZone),
          }),
      facts: jobFacts(ctx, job, {
        ...(options.ticketUrlTemplate ? { ticketUrlTemplate: options.ticketUrlTemplate } : {}),
      }),
    },
  };
}
