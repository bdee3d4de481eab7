import type { Device } from '../domain/device';
import type { ResetResult } from '../domain/resetResult';
import { silentLogger, type Logger } from '../logger';
import { DEVICE_SELECT, toDevice, toResetResult } from './deviceMapping';
import { executeBatch, type BatchOptions, type SubResponse } from './graphBatch';
import { GraphHttp, type GraphClientOptions } from './graphClient';
import { errorFromResponse } from './graphErrors';
import {
  IntuneError,
  type DeviceSearchResult,
  type GraphCallInfo,
  type Intune,
  type PrerequisiteReport,
  type ResetResultOrError,
} from './intune';
import { filterParameter } from './odata';
import { checkPrerequisites } from './prerequisites';
import { clauseFilter, matchesClause, readQuery, type SearchClause } from './queryReader';

export interface GraphIntuneOptions extends GraphClientOptions {
  logger?: Logger;
  /** In-batch retries of throttled sub-requests. */
  batch?: BatchOptions;
  /** Pages followed per candidate filter before the answer is called truncated. Default 20. */
  maxSearchPages?: number;
  /** Largest $top asked for; Graph may page sooner anyway. Default 1000. */
  maxPageSize?: number;
}

const MAX_SEARCH_LIMIT = 100;
const CHECK_MEMBER_GROUPS_LIMIT = 20;
const SELECT = `$select=${DEVICE_SELECT.join(',')}`;

type Json = Record<string, unknown>;
const devicePath = (id: string): string =>
  `/deviceManagement/managedDevices/${encodeURIComponent(id)}`;
const isOk = (status: number): boolean => status >= 200 && status < 300;

/**
 * Intune over Microsoft Graph. Any TokenSource works: the app's own credential,
 * the loopback dev token, or a technician's delegated token (StaticTokenSource).
 */
export class GraphIntune implements Intune {
  readonly #http: GraphHttp;
  readonly #logger: Logger;
  readonly #batch: BatchOptions;
  readonly #maxSearchPages: number;
  readonly #maxPageSize: number;

  constructor(options: GraphIntuneOptions) {
    this.#http = new GraphHttp(options);
    this.#logger = (options.logger ?? silentLogger).child({ component: 'graphIntune' });
    this.#batch = options.batch ?? {};
    this.#maxSearchPages = options.maxSearchPages ?? 20;
    this.#maxPageSize = Math.max(1, options.maxPageSize ?? 1000);
  }

  async searchDevices(query: string, limit: number): Promise<DeviceSearchResult> {
    const plan = readQuery(query);
    const wanted = Math.min(Math.max(1, Math.floor(limit) || 1), MAX_SEARCH_LIMIT);
    // One more than asked for tells whether there are more (truncated).
    const enough = wanted + 1;
    const top = Math.min(enough, this.#maxPageSize);
    const urls = plan.clauses.map(
      (c) =>
        `/deviceManagement/managedDevices?${filterParameter(clauseFilter(c))}&${SELECT}&$top=${top}`,
    );
    const firstPages = await this.#firstPages(urls, plan.clauses);

    const found = new Map<string, Device>();
    let exhausted = true;
    for (const [index, clause] of plan.clauses.entries()) {
      let page = firstPages[index];
      for (let pages = 1; page !== undefined; pages++) {
        for (const item of Array.isArray(page.value) ? page.value : []) {
          const device = toDevice(item);
          // Graph ignores filters it does not support: trust only what passes the same test here.
          if (device && matchesClause(device, clause) && !found.has(device.id))
            found.set(device.id, device);
        }
        const next = page['@odata.nextLink'];
        if (typeof next !== 'string') break;
        if (found.size >= enough || pages >= this.#maxSearchPages) {
          exhausted = false;
          break;
        }
        page = await this.#http.getAbsolute<Json>(next);
      }
      if (found.size >= enough) {
        exhausted = exhausted && index === plan.clauses.length - 1;
        break;
      }
    }
    const devices = [...found.values()];
    this.#logger.debug({ clauses: plan.clauses.length, matched: devices.length }, 'device search');
    return {
      devices: devices.slice(0, wanted),
      truncated: devices.length > wanted || !exhausted,
      ...(exhausted ? { totalKnown: devices.length } : {}),
      interpretedAs: plan.clauses.map((c) => c.property),
    };
  }

  /** The first page of each candidate filter: a plain GET for one, one $batch round trip for several. */
  async #firstPages(urls: string[], clauses: SearchClause[]): Promise<Array<Json | undefined>> {
    if (urls.length === 1) return [await this.#http.get<Json>('beta', urls[0] as string)];
    const answers = await executeBatch(
      this.#http,
      'beta',
      urls.map((url, i) => ({ id: String(i), url })),
      this.#batch,
    );
    const pages: Array<Json | undefined> = [];
    const failures: IntuneError[] = [];
    for (const [i, clause] of clauses.entries()) {
      const answer = answers.get(String(i));
      const failure = this.#failureOf(answer);
      if (failure) {
        failures.push(failure);
        this.#logger.warn(
          {
            property: clause.property,
            status: failure.status,
            code: failure.code,
            requestId: failure.requestId,
          },
          'a search filter failed',
        );
      }
      pages.push(failure ? undefined : (((answer as SubResponse).body as Json | undefined) ?? {}));
    }
    // A filter Graph refuses (400) while another reading worked is dropped; anything else is an error.
    const fatal =
      failures.find((f) => f.status !== 400) ??
      (failures.length === clauses.length ? failures[0] : undefined);
    if (fatal) throw fatal;
    return pages;
  }

  #failureOf(answer: SubResponse | IntuneError | undefined): IntuneError | undefined {
    if (answer === undefined)
      return new IntuneError('The $batch answer lacked a response', 502, 'missingBatchResponse');
    if (answer instanceof IntuneError) return answer;
    return isOk(answer.status)
      ? undefined
      : errorFromResponse(answer.status, answer.body, answer.headers);
  }

  async getDevice(id: string): Promise<Device | undefined> {
    if (!id) return undefined;
    try {
      return toDevice(await this.#http.get<Json>('beta', `${devicePath(id)}?${SELECT}`));
    } catch (error) {
      if (error instanceof IntuneError && error.isNotFound) return undefined;
      throw error;
    }
  }

  async resetPasscode(id: string): Promise<GraphCallInfo> {
    const answer = await this.#http.postAction('v1.0', `${devicePath(id)}/resetPasscode`);
    if (answer.status !== 204)
      this.#logger.warn(
        { status: answer.status, requestId: answer.requestId },
        'resetPasscode answered without 204',
      );
    this.#logger.info({ requestId: answer.requestId }, 'resetPasscode accepted');
    return answer.requestId ? { requestId: answer.requestId } : {};
  }

  async getResetResult(id: string): Promise<ResetResult | undefined> {
    return toResetResult(
      await this.#http.get<Json>('v1.0', `${devicePath(id)}?$select=deviceActionResults`),
    );
  }

  async getResetResults(ids: readonly string[]): Promise<Map<string, ResetResultOrError>> {
    const unique = [...new Set(ids)];
    const answers = await executeBatch(
      this.#http,
      'v1.0',
      unique.map((id, i) => ({
        id: String(i),
        url: `${devicePath(id)}?$select=deviceActionResults`,
      })),
      this.#batch,
    );
    const results = new Map<string, ResetResultOrError>();
    for (const [i, id] of unique.entries()) {
      const answer = answers.get(String(i));
      const failure = this.#failureOf(answer);
      results.set(
        id,
        failure
          ? { ok: false, error: failure }
          : { ok: true, result: toResetResult((answer as SubResponse).body) },
      );
    }
    return results;
  }

  checkPrerequisites(tenantId: string): Promise<PrerequisiteReport> {
    return checkPrerequisites(this.#http, tenantId, this.#batch);
  }

  async checkMemberGroups(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const members = new Set<string>();
    for (let i = 0; i < groupIds.length; i += CHECK_MEMBER_GROUPS_LIMIT) {
      const answer = await this.#http.post<Json>(
        'v1.0',
        `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
        {
          groupIds: groupIds.slice(i, i + CHECK_MEMBER_GROUPS_LIMIT),
        },
      );
      for (const id of Array.isArray(answer?.value) ? answer.value : []) {
        if (typeof id === 'string') members.add(id.toLowerCase());
      }
    }
    return groupIds.filter((id) => members.has(id.toLowerCase()));
  }

  async ping(): Promise<void> {
    // Needs only DeviceManagementManagedDevices.Read.All, which the bot has anyway.
    await this.#http.get('v1.0', '/deviceManagement/managedDevices?$top=1&$select=id');
  }
}
