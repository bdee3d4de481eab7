import { refuse, type Refusal, type DeskSettings } from '../desk';

const compiled = new Map<string, RegExp>();

/** TICKET_PATTERN, compiled once (config.ts already refused a pattern that does not compile). */
function patternOf(source: string): RegExp {
  let pattern = compiled.get(source);
  if (!pattern) {
    pattern = new RegExp(source);
    compiled.set(source, pattern);
  }
  return pattern;
}

/**
 * The ticket policy: TICKET_REQUIRED asks for a ticket reference on every reset and
 * TICKET_PATTERN says what one looks like. undefined when `ticketRef` (already cleaned)
 * passes; otherwise the refusal, before anything is written.
 */
export function ticketRefusal(
  settings: Pick<DeskSettings, 'TICKET_REQUIRED' | 'TICKET_PATTERN'>,
  ticketRef: string | undefined,
): Refusal | undefined {
  if (!ticketRef) return settings.TICKET_REQUIRED ? refuse('ticketRequired') : undefined;
  const source = settings.TICKET_PATTERN;
  if (source && !patternOf(source).test(ticketRef)) {
    return refuse('ticketMismatch', { pattern: source });
  }
  return undefined;
}
