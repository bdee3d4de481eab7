/**
 * C0/C1 control characters plus the bidirectional overrides/isolates that can make
 * text read differently than it is stored ("Trojan source").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const MAX_QUERY_LENGTH = 128;
export const MAX_TICKET_REF_LENGTH = 64;

/** The trimmed text when it is non-empty, at most `maxLength` long and free of control characters. */
export function cleanText(raw: unknown, maxLength: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '' || text.length > maxLength || UNSAFE_CHARACTERS.test(text)) return undefined;
  return text;
}
