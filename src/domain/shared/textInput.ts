/**
 * C0/C1 control characters, the line/paragraph separators, and the bidirectional
 * marks, overrides and isolates that can make text read differently than it is
 * stored ("Trojan source"). The one set every input is checked against: typed
 * commands, card-action fields, search queries and ticket references.
 */
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Tabs and line breaks: fine inside a chat message, nowhere else. */
const MESSAGE_WHITESPACE = /[\t\n\r]/g;

/** A UTF-16 surrogate without its pair: not text at all (URL encoding throws on it). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Invisible characters that ride along with pasted text: zero-width space, word joiner, BOM. */
const INVISIBLE_CHARACTERS = /[\u200b\u2060\ufeff]/g;

/**
 * What text from elsewhere (Graph's device names, owners and models; people's names) may
 * not carry into a card: control characters, and the invisible format characters
 * (Unicode Cf: bidirectional marks, embeddings, overrides and isolates, zero-width
 * spaces, soft hyphens, tag characters...) that make one name pose as another. The
 * zero-width (non-)joiners stay: Indic and Arabic scripts and emoji sequences need them.
 */
const FORMATTING_CHARACTERS = /(?![\u200c\u200d])[\p{Cc}\p{Cf}]/gu;
/** Line breaks, tabs and the line/paragraph separators: shown as one space. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\r\n\t\u000b\u000c\u0085\u2028\u2029]+/g;

/** `text` as one visible line: line breaks folded, format and control characters removed. */
export function neutralisedText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(FORMATTING_CHARACTERS, '');
}

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
 * True for text no input may carry: control characters, bidirectional controls, the
 * line/paragraph separators, or a lone surrogate. A typed chat message (`multiline`)
 * may also hold tabs and line breaks.
 */
export function hasUnsafeCharacters(text: string, options: { multiline?: boolean } = {}): boolean {
  const checked = options.multiline ? text.replace(MESSAGE_WHITESPACE, '') : text;
  return UNSAFE_CHARACTERS.test(checked) || hasLoneSurrogate(checked);
}

/**
 * The trimmed text (invisible characters removed) when it is non-empty, at most
 * `maxLength` long, well-formed and free of control characters.
 */
export function cleanText(raw: unknown, maxLength: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = withoutInvisibleCharacters(raw).trim();
  if (text === '' || text.length > maxLength) return undefined;
  return hasUnsafeCharacters(text) ? undefined : text;
}
