import type { Device, DeviceSearchResult, IntuneError, PersonMatch } from '../domain/ports';
import type { Logger } from '../logger';
import { toDevice, V1_DEVICE_SELECT } from './deviceMapping';
import { executeBatch, failureOf, type BatchOptions, type SubResponse } from './graphBatch';
import type { GraphHttp } from './graphClient';
import { filterParameter, startsWithClause } from './odata';
import {
  clauseFilter,
  matchesClause,
  readQuery,
  type SearchClause,
  type SearchPlan,
} from './queryReader';

export const MAX_SEARCH_LIMIT = 100;
/** v1.0 fields only: list rows are not trusted for the beta-only ones anyway (deviceMapping.ts). */
export const DEVICE_SELECT_PARAMETER = `$select=${V1_DEVICE_SELECT.join(',')}`;

export interface SearchOptions {
  batch: BatchOptions;
  /** Pages followed per candidate filter before the answer is called truncated. */
  maxPages: number;
  /** Largest $top asked for; Graph may page sooner anyway. */
  maxPageSize: number;
  logger: Logger;
}

type Json = Record<string, unknown>;

/** People listed when several match; one more is asked for to know there are more. */
const PEOPLE_LIMIT = 5;
const PERSON_PROPERTIES = ['displayName', 'givenName', 'surname', 'userPrincipalName'];

/**
 * Graph "List users" (learn.microsoft.com/graph/api/user-list): `startsWith` on
 * displayName, givenName, surname and userPrincipalName is a default query (no
 * `ConsistencyLevel: eventual` header, which `$search` would need, and which a $batch
 * step would have to carry), so "Alex Wilber", "alex.wilber" and "Wilber" all find
 * Alex. Needs User.Read.All (application) or User.ReadBasic.All (delegated).
 */
function peopleUrl(text: string): string {
  const filter = PERSON_PROPERTIES.map((p) => startsWithClause(p, text)).join(' or ');
  return `/users?${filterParameter(filter)}&$select=id,displayName,userPrincipalName&$top=${PEOPLE_LIMIT + 1}`;
}

const deviceUrl = (clause: SearchClause, top: number): string =>
  `/deviceManagement/managedDevices?${filterParameter(clauseFilter(clause))}&${DEVICE_SELECT_PARAMETER}&$top=${top}`;

/**
 * Searches managedDevices (v1.0: what the rules cannot decide from a list row is decided on
 * the device read by id at Pick) by every reading of
 * the query, following @odata.nextLink until limit + 1 distinct devices are
 * known (so `truncated` is exact), and keeps only devices that pass the same
 * clause on the client: Graph silently ignores filters it does not support.
 * People whose name starts with the query are looked up in the same $batch; when
 * exactly one matches, their devices (userPrincipalName eq) are read in one more
 * request and come first; when several match, they are returned to choose from.
 */
export async function searchDevices(
  http: GraphHttp,
  query: string,
  limit: number,
  options: SearchOptions,
): Promise<DeviceSearchResult> {
  const plan = readQuery(query);
  const wanted = Math.min(Math.max(1, Math.floor(limit) || 1), MAX_SEARCH_LIMIT);
  const enough = wanted + 1; // one more than asked for tells whether there are more
  const top = Math.min(enough, options.maxPageSize);
  const urls = plan.clauses.map((c) => deviceUrl(c, top));
  const first = await readFirstPages(http, urls, plan, options);
  const clauses = [...plan.clauses];
  const firstPages = [...first.pages];

  const people = plan.person ? first.people : [];
  const person = people.length === 1 ? people[0] : undefined;
  if (person) {
    const owned: SearchClause = {
      property: 'userPrincipalName',
      operator: 'eq',
      value: person.userPrincipalName,
    };
    clauses.unshift(owned);
    firstPages.unshift(await http.get<Json>('v1.0', deviceUrl(owned, top)));
  }

  const found = new Map<string, Device>();
  let exhausted = true;
  for (const [index, clause] of clauses.entries()) {
    let page = firstPages[index];
    for (let pages = 1; page !== undefined; pages++) {
      for (const item of Array.isArray(page.value) ? page.value : []) {
        const device = toDevice(item);
        if (device && matchesClause(device, clause) && !found.has(device.id)) {
          found.set(device.id, device);
        }
      }
      const next = page['@odata.nextLink'];
      if (typeof next !== 'string') break;
      if (found.size >= enough || pages >= options.maxPages) {
        exhausted = false;
        break;
      }
      // Also for a page that came from a $batch: the next one is a plain GET of the link as given.
      page = await http.getAbsolute<Json>(next);
    }
    if (found.size >= enough) {
      exhausted = exhausted && index === clauses.length - 1;
      break;
    }
  }
  const devices = [...found.values()];
  options.logger.debug(
    { clauses: clauses.length, matched: devices.length, people: people.length },
    'device search',
  );
  return {
    devices: devices.slice(0, wanted),
    truncated: devices.length > wanted || !exhausted,
    ...(exhausted ? { totalKnown: devices.length } : {}),
    interpretedAs: [
      ...plan.clauses.map((c) => c.property),
      ...(plan.person ? (['person'] as const) : []),
    ],
    ...(person ? { person } : {}),
    ...(people.length > 1
      ? { people: people.slice(0, PEOPLE_LIMIT), morePeople: people.length > PEOPLE_LIMIT }
      : {}),
  };
}

/** The users of a "List users" page that really start with the text (Graph is not trusted blindly). */
function matchingPeople(page: Json | undefined, text: string): PersonMatch[] {
  const wanted = fold(text);
  const people: PersonMatch[] = [];
  for (const item of Array.isArray(page?.value) ? (page.value as Json[]) : []) {
    const { id, displayName, userPrincipalName } = item;
    if (typeof id !== 'string' || typeof userPrincipalName !== 'string' || !userPrincipalName)
      continue;
    const name = typeof displayName === 'string' ? displayName : '';
    const words = fold(name).split(/\s+/);
    if (
      fold(name).startsWith(wanted) ||
      words.some((w) => w.startsWith(wanted)) ||
      fold(userPrincipalName).startsWith(wanted)
    ) {
      people.push({ id, displayName: name || userPrincipalName, userPrincipalName });
    }
  }
  return people;
}

const fold = (value: string): string => value.normalize('NFC').toLowerCase();

/**
 * The first page of each reading, and the people search: a plain GET for one request,
 * else one $batch round trip. A people search Graph refuses (e.g. 403 without
 * User.Read.All) is logged and skipped: the device search still answers.
 */
async function readFirstPages(
  http: GraphHttp,
  urls: string[],
  plan: SearchPlan,
  options: SearchOptions,
): Promise<{ pages: Array<Json | undefined>; people: PersonMatch[] }> {
  const { clauses } = plan;
  if (urls.length === 1 && !plan.person) {
    return { pages: [await http.get<Json>('v1.0', urls[0] as string)], people: [] };
  }
  const steps = urls.map((url, i) => ({ id: String(i), url }));
  if (plan.person) steps.push({ id: 'people', url: peopleUrl(plan.person) });
  const answers = await executeBatch(http, 'v1.0', steps, options.batch);
  const pages: Array<Json | undefined> = [];
  const failures: IntuneError[] = [];
  for (const [i, clause] of clauses.entries()) {
    const answer = answers.get(String(i));
    const failure = failureOf(answer);
    if (failure) {
      failures.push(failure);
      const { status, code, requestId } = failure;
      options.logger.warn(
        { property: clause.property, status, code, requestId },
        'a search filter failed',
      );
    }
    pages.push(failure ? undefined : (((answer as SubResponse).body as Json | undefined) ?? {}));
  }
  // A reading Graph refuses (400) while another worked is dropped; anything else is an error.
  const fatal =
    failures.find((f) => f.status !== 400) ??
    (failures.length === clauses.length ? failures[0] : undefined);
  if (fatal) throw fatal;
  let people: PersonMatch[] = [];
  if (plan.person) {
    const answer = answers.get('people');
    const failure = failureOf(answer);
    if (failure) {
      const { status, code, requestId } = failure;
      options.logger.warn(
        { status, code, requestId, permission: status === 403 ? 'User.Read.All' : undefined },
        'the people search failed; devices are still searched',
      );
    } else {
      people = matchingPeople((answer as SubResponse).body as Json | undefined, plan.person);
    }
  }
  return { pages, people };
}
