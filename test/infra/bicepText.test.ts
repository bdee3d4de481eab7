import assert from 'node:assert/strict';
import {
  appSettingEntries,
  bracketProblem,
  codeOnly,
  declarations,
  referenceCount,
} from './bicepText';

// The reader the infra tests rely on, checked on small templates with known answers.
describe('infra: the Bicep text reader', () => {
  it('blanks comments and string text but keeps interpolations and positions', () => {
    const source = "var a = 'x${toLower('Y')}z' // note {\nvar b = a\n";
    const code = codeOnly(source);
    assert.equal(code.length, source.length);
    assert.match(code, /toLower\(' '\)/);
    assert.doesNotMatch(code, /note|x|z/);
    assert.equal(bracketProblem(code), undefined);
  });

  it('reports unbalanced brackets and unterminated strings', () => {
    assert.match(bracketProblem(codeOnly('var a = {\n  b: [\n}\n')) ?? '', /unexpected '}'/);
    assert.match(bracketProblem(codeOnly('var a = (\n')) ?? '', /never closed/);
    assert.throws(() => codeOnly("var a = 'open\n"), /Unterminated/);
  });

  it('reads declarations with and without defaults', () => {
    const source = "@description('p = q')\nparam p string\nparam q int = 3\nvar v = [\n  1\n]\n";
    assert.deepEqual(
      declarations(source, 'param').map((d) => [d.name, d.valueText]),
      [
        ['p', ''],
        ['q', '3'],
      ],
    );
    assert.deepEqual(
      declarations(source, 'var').map((d) => [d.name, d.valueText]),
      [['v', '[\n  1\n]']],
    );
  });

  it('counts references but not object keys, member names or descriptions', () => {
    const code = codeOnly(
      "@description('uses p')\nparam p string\nvar o = {\n  p: 1\n  q: x.p\n}\nvar t = c ? p : 2\n",
    );
    assert.equal(referenceCount(code, 'p'), 1);
  });

  it('follows appSettings through variables and keeps computed names apart', () => {
    const source = [
      'var base = [',
      '  {',
      "    name: 'A'",
      "    value: 'a'",
      '  }',
      ']',
      'var extra = [for s in items(more): {',
      '  name: s.key',
      '  value: s.value',
      '}]',
      'resource w x = {',
      '  siteConfig: {',
      '    appSettings: concat(base, extra)',
      '  }',
      '}',
      '',
    ].join('\n');
    const entries = appSettingEntries(source);
    assert.deepEqual(
      entries.map((e) => [e.name, e.valueText, e.fromVariable]),
      [
        ['A', "'a'", 'base'],
        [undefined, 's.value', 'extra'],
      ],
    );
  });
});
