import type { Device } from '../domain/device';
import type { Logger } from '../logger';
import { toDevice, V1_DEVICE_SELECT } from './deviceMapping';
import { executeBatch, failureOf, type BatchOptions, type SubResponse } from './graphBatch';
import type { GraphHttp } from './graphClient';
import type { DeviceSearchResult, IntuneError } from './intune';
import { filterParameter } from './odata';
import { clauseFilter, matchesClause, readQuery, type SearchClause } from './queryReader';

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

/**
 * Searches managedDevices (v1.0: what the rules cannot decide from a list row is decided on
 * the device read by id at Pick) by every reading of
 * the query, following @odata.nextLink until limit + 1 distinct devices are
 * known (so `truncated` is exact), and keeps only devices that pass the same
 * clause on the client: Graph silently ignores filters it does not support.
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
  const urls = plan.clauses.map(
    (c) =>
      `/deviceManagement/managedDevices?${filterParameter(clauseFilter(c))}&${DEVICE_SELECT_PARAMETER}&$top=${top}`,
  );
  const firstPages = await readFirstPages(http, urls, plan.clauses, options);

  const found = new Map<string, Device>();
  let exhausted = true;
  for (const [index, clause] of plan.clauses.entries()) {
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
      exhausted = exhausted && index === plan.clauses.length - 1;
      break;
    }
  }
  const devices = [...found.values()];
  options.logger.debug({ clauses: plan.clauses.length, matched: devices.length }, 'device search');
  return {
    devices: devices.slice(0, wanted),
    truncated: devices.length > wanted || !exhausted,
    ...(exhausted ? { totalKnown: devices.length } : {}),
    interpretedAs: plan.clauses.map((c) => c.property),
  };
}

/** The first page of each reading: a plain GET for one, one $batch round trip for several. */
async function readFirstPages(
  http: GraphHttp,
  urls: string[],
  clauses: SearchClause[],
  options: SearchOptions,
): Promise<Array<Json | undefined>> {
  if (urls.length === 1) return [await http.get<Json>('v1.0', urls[0] as string)];
  const answers = await executeBatch(
    http,
    'v1.0',
    urls.map((url, i) => ({ id: String(i), url })),
    options.batch,
  );
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
  return pages;
}
