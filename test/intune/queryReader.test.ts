import assert from 'node:assert/strict';
import type { Device } from '../../src/domain/shared/device';
import {
  InvalidQueryError,
  MAX_QUERY_LENGTH,
  clauseFilter,
  matchesClause,
  readQuery,
  type SearchClause,
} from '../../src/intune/queryReader';

const kinds = (query: string): string[] =>
  readQuery(query).clauses.map((c) => `${c.property} ${c.operator}`);

describe('intune/queryReader', () => {
  it('reads a plain word as a device name (contains only)', () => {
    assert.deepEqual(kinds('lumia'), ['deviceName contains']);
    assert.deepEqual(kinds('  Lumia 950  '), ['deviceName contains']);
    assert.equal(readQuery('  Lumia 950  ').clauses[0]?.value, 'Lumia 950');
  });

  it('reads a UPN or e-mail address as userPrincipalName eq only', () => {
    assert.deepEqual(kinds('alex.wilber@contoso.com'), ['userPrincipalName eq']);
    assert.deepEqual(kinds("o'brien+it@contoso.onmicrosoft.com"), ['userPrincipalName eq']);
  });

  for (const serial of ['SN12345', 'SN-LUM950-0001', 'R58M123ABC', '356938035643809', 'ab1234']) {
    it(`reads ${serial} as a serial number and also as a device name`, () => {
      assert.deepEqual(kinds(serial), ['serialNumber eq', 'deviceName contains']);
    });
  }

  for (const notSerial of [
    'ABCDEFGH',
    'SN123',
    'LUMIA 950',
    'A'.repeat(20) + '1'.repeat(11),
    '-SN12345',
  ]) {
    it(`does not read ${JSON.stringify(notSerial)} as a serial number`, () => {
      assert.ok(!kinds(notSerial).includes('serialNumber eq'));
      assert.ok(kinds(notSerial).includes('deviceName contains'));
    });
  }

  it('rejects an empty query', () => {
    assert.throws(
      () => readQuery('   '),
      (e: unknown) => e instanceof InvalidQueryError && e.reason === 'empty',
    );
  });

  it(`rejects a query longer than ${MAX_QUERY_LENGTH} characters and accepts one of exactly that length`, () => {
    assert.equal(readQuery('x'.repeat(MAX_QUERY_LENGTH)).text.length, MAX_QUERY_LENGTH);
    assert.throws(
      () => readQuery('x'.repeat(MAX_QUERY_LENGTH + 1)),
      (e: unknown) =>
        e instanceof InvalidQueryError &&
        e.reason === 'tooLong' &&
        e.maxLength === MAX_QUERY_LENGTH,
    );
  });

  for (const bad of ['lu\u0000mia', 'lu\nmia', 'lu\u001bmia', 'evil\u202Egnp.exe']) {
    it(`rejects control characters (${JSON.stringify(bad)})`, () => {
      assert.throws(
        () => readQuery(bad),
        (e: unknown) => e instanceof InvalidQueryError && e.reason === 'controlCharacters',
      );
    });
  }

  it('escapes the value in the filter expression', () => {
    const [clause] = readQuery("O'Brien's Lumia").clauses;
    assert.equal(clauseFilter(clause as SearchClause), "contains(deviceName,'O''Brien''s Lumia')");
    const [upn] = readQuery("o'brien@contoso.com").clauses;
    assert.equal(clauseFilter(upn as SearchClause), "userPrincipalName eq 'o''brien@contoso.com'");
  });

  describe('client-side re-check', () => {
    const device: Device = {
      id: '1',
      deviceName: 'Lumia 950 王小明',
      userPrincipalName: 'Alex.Wilber@contoso.com',
      serialNumber: 'SN-LUM950-0001',
    };
    const cases: Array<[SearchClause, boolean]> = [
      [{ property: 'deviceName', operator: 'contains', value: 'lumia' }, true],
      [{ property: 'deviceName', operator: 'contains', value: '王小明' }, true],
      [{ property: 'deviceName', operator: 'contains', value: 'iphone' }, false],
      [{ property: 'userPrincipalName', operator: 'eq', value: 'alex.wilber@CONTOSO.com' }, true],
      [{ property: 'userPrincipalName', operator: 'eq', value: 'alex@contoso.com' }, false],
      [{ property: 'serialNumber', operator: 'eq', value: 'sn-lum950-0001' }, true],
      [{ property: 'serialNumber', operator: 'eq', value: 'SN-LUM950' }, false],
    ];
    for (const [clause, expected] of cases) {
      it(`${clause.property} ${clause.operator} '${clause.value}' → ${expected}`, () => {
        assert.equal(matchesClause(device, clause), expected);
      });
    }

    it('drops a device that lacks the property', () => {
      assert.equal(
        matchesClause(
          { id: '2', deviceName: 'x' },
          { property: 'serialNumber', operator: 'eq', value: 'x' },
        ),
        false,
      );
      assert.equal(
        matchesClause(
          { id: '2', deviceName: 'x', userPrincipalName: null },
          { property: 'userPrincipalName', operator: 'eq', value: 'x' },
        ),
        false,
      );
    });

    it('compares composed and decomposed Unicode as equal', () => {
      const decomposed = { id: '3', deviceName: 'Jose\u0301 phone' };
      assert.equal(
        matchesClause(decomposed, { property: 'deviceName', operator: 'contains', value: 'José' }),
        true,
      );
    });
  });
});
