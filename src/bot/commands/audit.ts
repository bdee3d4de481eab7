import type { TurnContext } from 'botbuilder';
import { t, type Locale } from '../../i18n';
import type { BotServices } from '../services';
import type { TurnInfo } from '../turn';
import { auditSpec } from '../views/infoViews';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT } from './parseCommand';
import { sendAnswer } from './sendAnswer';

/** How `audit` is typed: `audit` or `audit <n>`, n from 1 to MAX_AUDIT_LIMIT. */
export const auditUsage = (locale: Locale): string =>
  t(locale, 'audit.usage', { default: DEFAULT_AUDIT_LIMIT, max: MAX_AUDIT_LIMIT });

/** `audit [n]`: the newest audit entries (admins; the domain decides). */
export async function runAudit(
  context: TurnContext,
  turn: TurnInfo,
  services: BotServices,
  limit: number,
  asked?: number,
): Promise<void> {
  const answer = await services.desk.audit(turn.actor, limit);
  await sendAnswer(context, turn, services, answer, (ctx, { entries }) =>
    auditSpec(ctx, entries, {
      ...(asked ? { cappedNote: t(ctx.locale, 'audit.capped', { asked, max: limit }) } : {}),
    }),
  );
}
