import type { PickAnswer } from '../../domain/desk';
import { formatTime, t } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';
import { deviceFacts } from './facts';

/** "Reset the passcode of X?" with what will happen, an optional ticket and Confirm/Cancel. */
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
  return {
    name: 'confirm',
    data: {
      title: t(ctx.locale, 'confirm.title', { device: pick.device.deviceName }),
      facts: deviceFacts(ctx, pick.device, { serial: true, name: true }),
      whatHappens: t(ctx.locale, 'confirm.whatHappens'),
      steps: [
        t(ctx.locale, 'confirm.step1'),
        t(ctx.locale, 'confirm.step2'),
        t(ctx.locale, 'confirm.step3', { minutes: options.passcodeVisibleMinutes }),
      ],
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
