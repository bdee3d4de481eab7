import type { Refusal } from '../../domain/desk';
import { formatTime, t, tWithOptionalParams, type Params } from '../../i18n';
import type { CardSpec, ViewContext } from './cardSpec';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Refusal params come from the domain as data; times among them are shown in local time. */
function localizedParams(ctx: ViewContext, params: Refusal['params']): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] =
      typeof value === 'string' && ISO_TIME.test(value)
        ? formatTime(ctx.locale, value, ctx.timeZone)
        : value;
  }
  return out;
}

export function errorSpec(
  ctx: ViewContext,
  message: string,
  options: { title?: string; requestId?: string } = {},
): CardSpec {
  return {
    name: 'error',
    data: {
      title: options.title ?? t(ctx.locale, 'error.title'),
      message,
      requestIdLine: options.requestId
        ? `${t(ctx.locale, 'common.requestId')}: ${options.requestId}`
        : '',
    },
  };
}

export function refusalText(ctx: ViewContext, refusal: Refusal): string {
  return tWithOptionalParams(ctx.locale, `refusal.${refusal.reason}`, {
    ...localizedParams(ctx, refusal.params),
    ...whyNotEligible(ctx, refusal),
  });
}

/** A device refused at Pick or Confirm says why, in the words of the results card. */
function whyNotEligible(ctx: ViewContext, refusal: Refusal): Params {
  const reason = refusal.params?.reason;
  if (refusal.reason !== 'notEligible' || typeof reason !== 'string') return {};
  const { platform, detail } = refusal.params ?? {};
  return {
    why: t(ctx.locale, `ineligible.${reason}`, {
      platform: typeof platform === 'string' ? platform : t(ctx.locale, 'common.unknown'),
      ...(detail === undefined ? {} : { minimum: detail, detail }),
    }),
  };
}

export function refusalSpec(ctx: ViewContext, refusal: Refusal): CardSpec {
  return errorSpec(ctx, refusalText(ctx, refusal), {
    ...(refusal.graphRequestId ? { requestId: refusal.graphRequestId } : {}),
  });
}

/** Something went wrong on our side: a generic message, never a stack trace. */
export function genericErrorSpec(ctx: ViewContext): CardSpec {
  return errorSpec(ctx, t(ctx.locale, 'error.generic'), {
    title: t(ctx.locale, 'error.genericTitle'),
  });
}

export function noticeSpec(ctx: ViewContext, message: string, title = ''): CardSpec {
  return { name: 'notice', data: { title, message } };
}
