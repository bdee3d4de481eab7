import assert from 'node:assert/strict';
import { FilterSyntaxError, parseFilter, tokenize } from '../../src/emulator/odataFilter';

describe('emulator OData $filter reader', () => {
  it('reads doubled single quotes inside a literal as one quote', () => {
    const node = parseFilter("deviceName eq 'O''Brien''s Lumia'");
    assert.deepEqual(node, {
      type: 'compare',
      property: 'deviceName',
      op: 'eq',
      literal: { kind: 'string', value: "O'Brien's Lumia" },
    });
  });

  it('keeps non-ASCII text and keywords inside literals untouched', () => {
    const node = parseFilter("deviceName eq '王小明的 Lumia and or not'");
    assert.equal(node.type, 'compare');
    assert.deepEqual(node.type === 'compare' && node.literal, {
      kind: 'string',
      value: '王小明的 Lumia and or not',
    });
  });

  it('binds and tighter than or, and honours parentheses', () => {
    const flat = parseFilter("a eq '1' or b eq '2' and c eq '3'");
    assert.equal(flat.type, 'or');
    assert.equal(flat.type === 'or' && flat.items[1]?.type, 'and');
    const grouped = parseFilter("(a eq '1' or b eq '2') and c eq '3'");
    assert.equal(grouped.type, 'and');
    assert.equal(grouped.type === 'and' && grouped.items[0]?.type, 'or');
  });

  it('reads functions, operators case-insensitively, and typed literals', () => {
    const node = parseFilter(
      "contains(deviceName,'x') AND lastSyncDateTime GT 2026-01-02T03:04:05Z and azureADDeviceId eq a9e8d7c6-1b2a-4c3d-9e4f-000000000001 and x eq 5 and y eq true and z eq null",
    );
    assert.equal(node.type, 'and');
    const items = node.type === 'and' ? node.items : [];
    assert.deepEqual(items[0], {
      type: 'call',
      fn: 'contains',
      property: 'deviceName',
      literal: { kind: 'string', value: 'x' },
    });
    assert.deepEqual(items[1], {
      type: 'compare',
      property: 'lastSyncDateTime',
      op: 'gt',
      literal: {
        kind: 'datetime',
        value: '2026-01-02T03:04:05Z',
        ms: Date.parse('2026-01-02T03:04:05Z'),
      },
    });
    assert.equal(items[2]?.type === 'compare' && items[2].literal.kind, 'guid');
    assert.deepEqual(items[3]?.type === 'compare' && items[3].literal, {
      kind: 'number',
      value: 5,
    });
    assert.deepEqual(items[4]?.type === 'compare' && items[4].literal, {
      kind: 'boolean',
      value: true,
    });
    assert.deepEqual(items[5]?.type === 'compare' && items[5].literal, { kind: 'null' });
  });

  it('rejects malformed expressions', () => {
    const bad = [
      '',
      "deviceName eq 'unterminated",
      'deviceName eq',
      "deviceName 'x'",
      "deviceName like 'x'",
      "(deviceName eq 'x'",
      "deviceName eq 'x')",
      "deviceName eq 'x' and",
      "contains(deviceName 'x')",
      "deviceName eq 'x' deviceName eq 'y'",
      'deviceName eq bareword',
      "deviceName eq 'x'; drop",
      "'x' eq deviceName",
    ];
    for (const text of bad) {
      assert.throws(() => parseFilter(text), FilterSyntaxError, `should reject: ${text}`);
    }
  });

  it('tokenizes a quote at the very end of a literal', () => {
    const tokens = tokenize("'it''s'''");
    assert.deepEqual(tokens, [{ t: 'string', value: "it's'", at: 0 }]);
  });
});
