import type { Device } from '../domain/device';
import type { ResetResult } from '../domain/resetResult';
import { silentLogger, type Logger } from '../logger';
import { toDevice, toResetResult } from './deviceMapping';
import { DEVICE_SELECT_PARAMETER, searchDevices, type SearchOptions } from './deviceSearch';
import { executeBatch, failureOf, type BatchOptions, type SubResponse } from './graphBatch';
import { GraphHttp, type GraphClientOptions } from './graphClient';
import {
  IntuneError,
  type DeviceSearchResult,
  type GraphCallInfo,
  type Intune,
  type PrerequisiteId,
  type PrerequisiteReport,
  type ResetResultOrError,
} from './intune';
import { checkPrerequisites } from './prerequisites';

export interface GraphIntuneOptions extends GraphClientOptions {
  logger?: Logger;
  /** In-batch retries of throttled sub-requests. */
  batch?: BatchOptions;
  /** Pages followed per candidate filter before the answer is called truncated. Default 20. */
  maxSearchPages?: number;
  /** Largest $top asked for; Graph may page sooner anyway. Default 1000. */
  maxPageSize?: number;
}

const CHECK_MEMBER_GROUPS_LIMIT = 20;

type Json = Record<string, unknown>;
const devicePath = (id: string): string =>
  `/deviceManagement/managedDevices/${encodeURIComponent(id)}`;
const actionResultsPath = (id: string): string => `${devicePath(id)}?$select=deviceActionResults`;

/**
 * Intune over Microsoft Graph. Any TokenSource works: the app's own credential,
 * the loopback dev token, or a technician's delegated token (StaticTokenSource).
 */
export class GraphIntune implements Intune {
  readonly #http: GraphHttp;
  readonly #logger: Logger;
  readonly #batch: BatchOptions;
  readonly #search: SearchOptions;

  constructor(options: GraphIntuneOptions) {
    this.#http = new GraphHttp(options);
    this.#logger = (options.logger ?? silentLogger).child({ component: 'graphIntune' });
    this.#batch = options.batch ?? {};
    this.#search = {
      batch: this.#batch,
      maxPages: options.maxSearchPages ?? 20,
      maxPageSize: Math.max(1, options.maxPageSize ?? 1000),
      logger: this.#logger,
    };
  }

  searchDevices(query: string, limit: number): Promise<DeviceSearchResult> {
    return searchDevices(this.#http, query, limit, this.#search);
  }

  async getDevice(id: string): Promise<Device | undefined> {
    if (!id) return undefined;
    try {
      return toDevice(
        await this.#http.get<Json>('beta', `${devicePath(id)}?${DEVICE_SELECT_PARAMETER}`),
      );
    } catch (error) {
      if (error instanceof IntuneError && error.isNotFound) return undefined;
      throw error;
    }
  }

  async resetPasscode(id: string): Promise<GraphCallInfo> {
    const answer = await this.#http.postAction('v1.0', `${devicePath(id)}/resetPasscode`);
    const { status, requestId } = answer;
    if (status !== 204)
      this.#logger.warn(
        { status, requestId },
        'Graph answered the reset request without 204 (status and request-id only)',
      );
    this.#logger.info({ requestId }, 'Graph accepted the reset request (request-id only)');
    return requestId ? { requestId } : {};
  }

  async getResetResult(id: string): Promise<ResetResult | undefined> {
    return toResetResult(await this.#http.get<Json>('v1.0', actionResultsPath(id)));
  }

  async getResetResults(ids: readonly string[]): Promise<Map<string, ResetResultOrError>> {
    const unique = [...new Set(ids)];
    const steps = unique.map((id, i) => ({ id: String(i), url: actionResultsPath(id) }));
    const answers = await executeBatch(this.#http, 'v1.0', steps, this.#batch);
    const results = new Map<string, ResetResultOrError>();
    for (const [i, id] of unique.entries()) {
      const answer = answers.get(String(i));
      const error = failureOf(answer);
      results.set(
        id,
        error
          ? { ok: false, error }
          : { ok: true, result: toResetResult((answer as SubResponse).body) },
      );
    }
    return results;
  }

  checkPrerequisites(
    tenantId: string,
    wanted?: ReadonlySet<PrerequisiteId>,
  ): Promise<PrerequisiteReport> {
    return checkPrerequisites(this.#http, tenantId, this.#batch, wanted);
  }

  async checkMemberGroups(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const members = new Set<string>();
    // Graph takes at most 20 group ids per call.
    for (let i = 0; i < groupIds.length; i += CHECK_MEMBER_GROUPS_LIMIT) {
      const answer = await this.#http.post<Json>(
        'v1.0',
        `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
        { groupIds: groupIds.slice(i, i + CHECK_MEMBER_GROUPS_LIMIT) },
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
