import {
  type Device,
  InvalidQueryError,
  MAX_QUERY_LENGTH,
  hasUnsafeCharacters,
} from '../domain/ports';
import { containsClause, eqClause } from './odata';

export { InvalidQueryError, MAX_QUERY_LENGTH };

export type SearchProperty = 'userPrincipalName' | 'serialNumber' | 'deviceName';

/** One candidate reading of the query: a Graph filter and the same test on the client. */
export interface SearchClause {
  property: SearchProperty;
  operator: 'eq' | 'contains';
  value: string;
}

export interface SearchPlan {
  /** The query as used (trimmed). */
  text: string;
  clauses: SearchClause[];
  /** Also look for people whose name or sign-in name starts with this text. */
  person?: string;
}

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** No spaces, 6-30 characters of letters, digits and a few separators, starting and ending alphanumeric. */
const SERIAL_LIKE = /^[A-Za-z0-9](?:[A-Za-z0-9._\-/]{4,28})[A-Za-z0-9]$/;

/**
 * Reads a technician's search text: a UPN/e-mail → userPrincipalName eq; a
 * serial-number-like token → serialNumber eq and deviceName contains (it may be a
 * name); anything else → deviceName contains.
 */
export function readQuery(raw: string): SearchPlan {
  const text = raw.trim();
  if (!text) throw new InvalidQueryError('empty');
  if (text.length > MAX_QUERY_LENGTH) throw new InvalidQueryError('tooLong', MAX_QUERY_LENGTH);
  if (hasUnsafeCharacters(text)) throw new InvalidQueryError('controlCharacters');

  if (EMAIL_LIKE.test(text)) {
    return { text, clauses: [{ property: 'userPrincipalName', operator: 'eq', value: text }] };
  }
  const clauses: SearchClause[] = [];
  if (SERIAL_LIKE.test(text) && /\d/.test(text)) {
    clauses.push({ property: 'serialNumber', operator: 'eq', value: text });
  }
  clauses.push({ property: 'deviceName', operator: 'contains', value: text });
  // "Alex Wilber", "alex.wilber", "wilber": a person, when it has a letter and two characters.
  const person = text.length >= 2 && /\p{L}/u.test(text) ? { person: text } : {};
  return { text, clauses, ...person };
}

/** The OData expression for a clause (always escaped). */
export function clauseFilter(clause: SearchClause): string {
  return clause.operator === 'eq'
    ? eqClause(clause.property, clause.value)
    : containsClause(clause.property, clause.value);
}

const fold = (value: string): string => value.normalize('NFC').toLowerCase();

/**
 * The client-side re-check of a clause. Graph silently ignores filters it does not
 * support and returns every device, so nothing is trusted until it passes this.
 */
export function matchesClause(device: Device, clause: SearchClause): boolean {
  const actual = device[clause.property];
  if (typeof actual !== 'string') return false;
  return clause.operator === 'eq'
    ? fold(actual) === fold(clause.value)
    : fold(actual).includes(fold(clause.value));
}
