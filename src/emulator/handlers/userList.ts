import { GraphError } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import { FilterSyntaxError, parseFilter, type FilterNode } from '../odataFilter';
import type { HandlerContext } from '../router';
import type { TenantUser } from '../tenantData';
import { applySelect, contextUrl, publicView } from './common';
import { parseTop } from './paging';

/** Graph's default and largest page of users (learn.microsoft.com/graph/api/user-list). */
const DEFAULT_USER_PAGE = 100;
const MAX_USER_PAGE = 999;

/** Properties Graph filters with eq/startswith without advanced query parameters. */
const FILTERABLE = new Set([
  'displayname',
  'givenname',
  'surname',
  'userprincipalname',
  'mail',
  'id',
]);

const unsupported = (message: string): GraphError =>
  new GraphError(400, 'Request_UnsupportedQuery', message);

/**
 * GET /users with `$filter` (eq and startswith on names, UPN, mail; and/or/not) or
 * `$search` ("property:words", OR/AND), `$select` and `$top`, as Graph answers them.
 * Graph's quirk kept: `$search` (and `$count`) only work with the header
 * `ConsistencyLevel: eventual`; without it the request is a 400, not an empty list.
 */
export function listUsers({ state, request }: HandlerContext): GraphResponse {
  const { query, headers } = request;
  const eventual = (headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
  const search = query.get('$search');
  if ((search !== null || query.get('$count') !== null) && !eventual) {
    throw unsupported(
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  }
  const top = parseTop(query.get('$top'), DEFAULT_USER_PAGE, MAX_USER_PAGE);
  let users = state.tenant.users;
  const filter = query.get('$filter');
  if (filter !== null) {
    let tree: FilterNode;
    try {
      tree = parseFilter(filter);
    } catch (error) {
      if (error instanceof FilterSyntaxError)
        throw new GraphError(400, 'BadRequest', error.message);
      throw error;
    }
    users = users.filter((user) => matches(user, tree, eventual));
  }
  if (search !== null) users = users.filter(searchMatcher(search));
  const value = users
    .slice(0, top)
    .map((user) => applySelect(publicView(user), query.get('$select')));
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, request.version, 'users'), value },
  };
}

const fold = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.normalize('NFC').toLowerCase() : undefined;

function propertyOf(user: TenantUser, property: string): unknown {
  const key = Object.keys(user).find((k) => k.toLowerCase() === property.toLowerCase());
  return key === undefined ? undefined : user[key];
}

function matches(user: TenantUser, node: FilterNode, advanced: boolean): boolean {
  switch (node.type) {
    case 'and':
      return node.items.every((item) => matches(user, item, advanced));
    case 'or':
      return node.items.some((item) => matches(user, item, advanced));
    case 'not':
      return !matches(user, node.operand, advanced);
    case 'compare':
    case 'call': {
      if (!FILTERABLE.has(node.property.toLowerCase())) {
        throw unsupported(
          `Unsupported or invalid query filter clause specified for property '${node.property}' of resource 'User'.`,
        );
      }
      const isCall = node.type === 'call';
      const op = isCall ? node.fn : node.op;
      // endsWith and contains need advanced queries on users; ne/lt/gt are not offered here.
      if (op !== 'eq' && op !== 'startswith' && !(advanced && op === 'endswith')) {
        throw unsupported('Unsupported Query.');
      }
      if (node.literal.kind !== 'string' && node.literal.kind !== 'guid') return false;
      const actual = fold(propertyOf(user, node.property));
      const wanted = fold(node.literal.value) ?? '';
      if (actual === undefined) return false;
      if (op === 'eq') return actual === wanted;
      return op === 'startswith' ? actual.startsWith(wanted) : actual.endsWith(wanted);
    }
  }
}

/**
 * `"displayName:alex wil" OR "userPrincipalName:alex"`: each clause matches when every
 * word of it starts a word of the property (Graph tokenizes on spaces and punctuation).
 */
function searchMatcher(raw: string): (user: TenantUser) => boolean {
  const clauses = [...raw.matchAll(/"([A-Za-z]+):([^"]*)"/g)].map((m) => ({
    property: m[1] as string,
    words: words(m[2] as string),
  }));
  if (clauses.length === 0) throw new GraphError(400, 'BadRequest', 'Invalid $search syntax.');
  const all = /"\s+AND\s+"/.test(raw);
  return (user) => {
    const hit = (clause: (typeof clauses)[number]) => {
      const have = words(String(propertyOf(user, clause.property) ?? ''));
      return clause.words.every((w) => have.some((h) => h.startsWith(w)));
    };
    return all ? clauses.every(hit) : clauses.some(hit);
  };
}

const words = (text: string): string[] =>
  text
    .normalize('NFC')
    .toLowerCase()
    .split(/[\s.@_\-']+/u)
    .filter(Boolean);
