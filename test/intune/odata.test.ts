import assert from 'node:assert/strict';
import { containsClause, eqClause, filterParameter, odataString } from '../../src/intune/odata';

describe('intune/odata', () => {
  it('quotes a literal and doubles a single quote inside', () => {
    assert.equal(odataString('lumia'), "'lumia'");
    assert.equal(odataString("O'Brien's"), "'O''Brien''s'");
    assert.equal(odataString("'"), "''''");
  });

  it('keeps non-ASCII text as it is', () => {
    assert.equal(odataString('王小明的手機'), "'王小明的手機'");
  });

  for (const bad of [
    'a\u0000b',
    'line\nbreak',
    'tab\there',
    'del\u007f',
    'c1\u0085',
    'sep\u2028',
  ]) {
    it(`refuses a control character (${JSON.stringify(bad)})`, () => {
      assert.throws(() => odataString(bad), RangeError);
    });
  }

  it('builds eq and contains clauses around escaped values', () => {
    assert.equal(eqClause('serialNumber', "SN'1"), "serialNumber eq 'SN''1'");
    assert.equal(
      containsClause('deviceName', "x') or true or ('"),
      "contains(deviceName,'x'') or true or (''')",
    );
  });

  it('refuses a property name that is not a plain identifier', () => {
    assert.throws(() => eqClause('deviceName eq 1 or id', 'x'), RangeError);
    assert.throws(() => containsClause('', 'x'), RangeError);
  });

  it('percent-encodes the whole filter expression for the query string', () => {
    const parameter = filterParameter(eqClause('userPrincipalName', 'a+b&c=d#e@contoso.com'));
    assert.equal(
      parameter,
      `$filter=${encodeURIComponent("userPrincipalName eq 'a+b&c=d#e@contoso.com'")}`,
    );
    assert.doesNotMatch(parameter.slice('$filter='.length), /[ &#+=]/);
    assert.equal(
      decodeURIComponent(parameter.slice('$filter='.length)),
      "userPrincipalName eq 'a+b&c=d#e@contoso.com'",
    );
  });
});
