import assert from 'node:assert/strict';
import { textField } from '../../../src/bot/cardActions/cardAction';
import { cleanText, hasUnsafeCharacters } from '../../../src/domain/shared/textInput';
import { InvalidQueryError, readQuery } from '../../../src/intune/queryReader';

/** Characters no input may carry, whichever way it arrives. */
const UNSAFE = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ud800',
];

describe('domain/textInput: one validator for commands, card actions and search', () => {
  for (const bad of UNSAFE) {
    const text = `lumia${bad}x`;
    it(`refuses U+${bad.charCodeAt(0).toString(16).padStart(4, '0')} in a message, a card field, a query and clean text`, () => {
      assert.equal(hasUnsafeCharacters(text, { multiline: true }), true);
      assert.equal(textField({ id: text }, 'id'), undefined);
      assert.throws(() => readQuery(text), InvalidQueryError);
      assert.equal(cleanText(text, 100), undefined);
    });
  }

  it('lets a typed message hold tabs and line breaks, and nothing else does', () => {
    for (const whitespace of ['\t', '\n', '\r']) {
      const text = `reset${whitespace}lumia`;
      assert.equal(hasUnsafeCharacters(text, { multiline: true }), false);
      assert.equal(hasUnsafeCharacters(text), true);
      assert.equal(textField({ id: text }, 'id'), undefined);
    }
  });

  it('keeps ordinary text, trimmed, with the invisible characters of a paste removed', () => {
    assert.equal(textField({ id: '  王小明的手機\u200b ' }, 'id'), '王小明的手機');
    assert.equal(cleanText('\ufeffLumia 950', 100), 'Lumia 950');
    assert.equal(readQuery(' Lumia 950 ').text, 'Lumia 950');
  });
});
