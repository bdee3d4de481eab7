/**
 * C0/C1 control characters, the line/paragraph separators, and the bidirectional
 * marks, overrides and isolates that can make text read differently than it is
 * stored ("Trojan source").
 */
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A UTF-16 surrogate without its pair: not text at all (URL encoding throws on it). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Invisible characters that ride along with pasted text: zero-width space, word joiner, BOM. */
const INVISIBLE_CHARACTERS = /[\u200b\u2060\ufeff]/g;

export const MAX_QUERY_LENGTH = 128;
export const MAX_TICKET_REF_LENGTH = 64;

/** Text with the invisible characters of a copy and paste removed. */
export function withoutInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '');
}

/** True for text that has a lone surrogate (ill-formed UTF-16). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * The trimmed text (invisible characters removed) when it is non-empty, at most
 * `maxLength` long, well-formed and free of control characters.
 */
export function cleanText(raw: unknown, maxLength: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = withoutInvisibleCharacters(raw).trim();
  if (text === '' || text.length > maxLength) return undefined;
  if (UNSAFE_CHARACTERS.test(text) || hasLoneSurrogate(text)) return undefined;
  return text;
}
