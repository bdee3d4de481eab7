import { type PickAnswer, resetBehaviourOf, type ResetDelivery } from '../../domain/desk';
import { formatTime, t } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';
import { deviceFacts } from './facts';

/** The line saying what the technician receives, by what the platform row delivers. */
const DELIVERY_LINE_KEYS: Record<ResetDelivery, string> = {
  passcodePrivately: 'confirm.step3',
  removalNotice: 'confirm.remove.step3',
};

/**
 * "Reset the passcode of X?" with what will happen (the platform row's consequence), an
 * extra confirmation line for a reset that leaves the device unprotected, an optional
 * ticket and Confirm/Cancel.
 */
export function confirmSpec(
  ctx: ViewContext,
  pick: PickAnswer,
  options: {
    passcodeVisibleMinutes: number;
    onlyRequester?: string;
    /** TICKET_REQUIRED / TICKET_PATTERN: Teams checks the ticket before sending (so does the desk). */
    ticketRequired?: boolean;
    ticketPattern?: string;
  },
): CardSpec {
  const reset = resetBehaviourOf(pick.platform);
  return {
    name: 'confirm',
    data: {
      title: t(ctx.locale, reset.confirmTitleKey, { device: pick.device.deviceName }),
      facts: deviceFacts(ctx, pick.device, { serial: true, name: true }),
      staleWarning: pick.staleDays ? t(ctx.locale, 'results.stale', { days: pick.staleDays }) : '',
      whatHappens: t(ctx.locale, 'confirm.whatHappens'),
      steps: [
        ...reset.consequenceKeys.map((key) => t(ctx.locale, key)),
        t(ctx.locale, DELIVERY_LINE_KEYS[reset.delivers], {
          minutes: options.passcodeVisibleMinutes,
        }),
      ],
      acknowledgeText: reset.extraConfirmationKey ? t(ctx.locale, reset.extraConfirmationKey) : '',
      ticketLabel: t(
        ctx.locale,
        options.ticketRequired ? 'confirm.ticketLabelRequired' : 'confirm.ticketLabel',
      ),
      ticketRequired: options.ticketRequired === true,
      ticketPattern: options.ticketPattern ?? '',
      ticketError: t(
        ctx.locale,
        options.ticketPattern ? 'confirm.ticketPatternError' : 'refusal.ticketRequired',
      ),
      ticketPlaceholder: t(ctx.locale, 'confirm.ticketPlaceholder'),
      expiresNote: t(ctx.locale, 'confirm.expires', {
        time: formatTime(ctx.locale, pick.expiresAt, ctx.timeZone),
      }),
      onlyRequesterNote: options.onlyRequester
        ? t(ctx.locale, 'results.onlyRequester', { name: options.onlyRequester })
        : '',
      confirmTitle: t(ctx.locale, 'confirm.confirm'),
      cancelTitle: t(ctx.locale, 'confirm.cancel'),
      pendingActionId: pick.pendingActionId,
    },
  };
}
