import assert from 'node:assert/strict';

/**
 * What Teams would render as markup in card text: a link, an autolink or bold text.
 * Markdown escapes (`\[`, `\*`…) and code spans show their content literally, so
 * they are taken out first; what is left must hold no markup (the bot's own texts
 * never put links or bold around data).
 */
const LIVE_MARKUP: Array<[RegExp, string]> = [
  [/\[[^\]]*\]\(/, 'a markdown link'],
  [/<https?:/i, 'an autolink'],
  [/\*\*[^*]+\*\*/, 'bold text'],
];

/** Fails when `text` (what a card shows) holds markup that came from data. */
export function assertNoLiveMarkup(text: string): void {
  const literal = text.replace(/\\./g, '').replace(/`[^`]*`/g, '');
  for (const [pattern, what] of LIVE_MARKUP) {
    assert.ok(!pattern.test(literal), `${what} in card text:\n${text}`);
  }
}
