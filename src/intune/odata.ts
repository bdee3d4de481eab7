import { hasUnsafeCharacters } from '../domain/ports';

/**
 * OData $filter building. User text only ever reaches a filter through
 * `odataString`, which quotes it the OData way (a quote inside is doubled).
 */

/** An OData property name: letters and digits only, so it can never carry syntax. */
const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** A single-quoted OData string literal. Control characters are refused, not stripped: they are never legitimate in a search. */
export function odataString(value: string): string {
  if (hasUnsafeCharacters(value)) {
    throw new RangeError('An OData string literal must not contain control characters');
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function property(name: string): string {
  if (!PROPERTY_NAME.test(name)) throw new RangeError(`Not an OData property name: ${name}`);
  return name;
}

/** `name eq 'value'` */
export function eqClause(name: string, value: string): string {
  return `${property(name)} eq ${odataString(value)}`;
}

/** `contains(name,'value')` */
export function containsClause(name: string, value: string): string {
  return `contains(${property(name)},${odataString(value)})`;
}

/** `startswith(name,'value')` */
export function startsWithClause(name: string, value: string): string {
  return `startswith(${property(name)},${odataString(value)})`;
}

/** The query-string form of a filter: `$filter=` with the expression percent-encoded. */
export function filterParameter(expression: string): string {
  return `$filter=${encodeURIComponent(expression)}`;
}
