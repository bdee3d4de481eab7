import {
  type Device,
  type ResetResult,
  IntuneError,
  type DeviceSearchResult,
  type GraphCallInfo,
  type Intune,
  type PrerequisiteId,
  type PrerequisiteReport,
  type ResetResultOrError,
} from '../domain/ports';
import { silentLogger, type Logger } from '../logger';
import { BETA_ONLY_DEVICE_FIELDS, toDevice, toResetResult } from './deviceMapping';
import { DEVICE_SELECT_PARAMETER, searchDevices, type SearchOptions } from './deviceSearch';
import { executeBatch, failureOf, type BatchOptions, type SubResponse } from './graphBatch';
import { GraphHttp, type GraphClientOptions } from './graphClient';
import { toIntuneError } from './graphErrors';
import {
  permissionsFor,
  scopesInForbiddenMessage,
  type GraphMode,
  type GraphOperation,
} from './permissions';
import { checkPrerequisites } from './prerequisites';

export interface GraphIntuneOptions extends GraphClientOptions {
  logger?: Logger;
  /** In-batch retries of throttled sub-requests. */
  batch?: BatchOptions;
  /** Pages followed per candidate filter before the answer is called truncated. Default 20. */
  maxSearchPages?: number;
  /** Largest $top asked for; Graph may page sooner anyway. Default 1000. */
  maxPageSize?: number;
  /** Whose permissions the token carries: the app's (default) or a signed-in technician's. */
  mode?: GraphMode;
}

/**
 * A 403 as the permission it lacks: the one Intune names ("Application must have one of
 * the following scopes: ..."), else the one the operation needs (the directory's
 * Authorization_RequestDenied names none).
 */
export function forbiddenAs(error: unknown, operation: GraphOperation, mode: GraphMode): unknown {
  if (!(error instanceof IntuneError) || !error.isForbidden) return error;
  if (error.missingPermissions.length > 0) return error;
  const named = scopesInForbiddenMessage(error.message);
  return new IntuneError(
    error.message,
    error.status,
    error.code,
    error.requestId,
    error.retryAfterSeconds,
    // Intune lists the alternatives least privileged first: the first is the one to grant.
    named.length > 0 ? named.slice(0, 1) : permissionsFor(operation, mode),
  );
}

const CHECK_MEMBER_GROUPS_LIMIT = 20;

type Json = Record<string, unknown>;
const devicePath = (id: string): string =>
  `/deviceManagement/managedDevices/${encodeURIComponent(id)}`;
const actionResultsPath = (id: string): string => `${devicePath(id)}?$select=deviceActionResults`;

const lacksPasscode = (result: ResetResult | undefined): boolean =>
  result?.actionState === 'done' && !result.passcode;

/** The v1.0 result, with the passcode of the beta read when that is the same, done action. */
function withBetaPasscode(
  v1: ResetResult | undefined,
  beta: ResetResult | undefined,
): ResetResult | undefined {
  if (!v1 || !beta?.passcode || beta.actionState !== 'done') return v1;
  const sameAction =
    !v1.startDateTime || !beta.startDateTime || v1.startDateTime === beta.startDateTime;
  return sameAction ? { ...v1, passcode: beta.passcode } : v1;
}

/**
 * Intune over Microsoft Graph. Any TokenSource works: the app's own credential,
 * the loopback dev token, or a technician's delegated token (StaticTokenSource).
 */
export class GraphIntune implements Intune {
  readonly #http: GraphHttp;
  readonly #logger: Logger;
  readonly #batch: BatchOptions;
  readonly #search: SearchOptions;
  readonly #mode: GraphMode;

  constructor(options: GraphIntuneOptions) {
    this.#mode = options.mode ?? 'app';
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

  /** Runs a Graph call; a 403 is logged with the permission it lacks and its request-id. */
  async #as<T>(operation: GraphOperation, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#forbidden(error, operation);
    }
  }

  #forbidden(error: unknown, operation: GraphOperation): unknown {
    const named = forbiddenAs(error, operation, this.#mode);
    if (named instanceof IntuneError && named.isForbidden) {
      const { requestId, code, missingPermissions } = named;
      this.#logger.warn(
        { operation, permission: missingPermissions.join(' + '), code, requestId },
        'Graph refused (403): the app lacks a permission',
      );
    }
    return named;
  }

  searchDevices(query: string, limit: number): Promise<DeviceSearchResult> {
    return this.#as('readDevices', () => searchDevices(this.#http, query, limit, this.#search));
  }

  async getDevice(id: string): Promise<Device | undefined> {
    if (!id) return undefined;
    // v1.0 for what v1.0 has; beta only for deviceType and joinType, and without them
    // (less detail: the rules may then refuse with insufficientData) when beta fails.
    const [base, extra] = await Promise.all([
      this.#http
        .get<Json>('v1.0', `${devicePath(id)}?${DEVICE_SELECT_PARAMETER}`)
        .catch((error: unknown) => {
          if (error instanceof IntuneError && error.isNotFound) return undefined;
          throw this.#forbidden(error, 'readDevices');
        }),
      this.#http
        .get<Json>('beta', `${devicePath(id)}?$select=${BETA_ONLY_DEVICE_FIELDS.join(',')}`)
        .catch((error: unknown) => toIntuneError(error)),
    ]);
    if (!base) return undefined;
    if (extra instanceof IntuneError) {
      const { status, code, requestId } = extra;
      this.#logger.warn(
        { status, code, requestId },
        'The beta device read failed; deciding on the v1.0 fields alone',
      );
      return toDevice(base);
    }
    const betaFields = Object.fromEntries(
      BETA_ONLY_DEVICE_FIELDS.filter((key) => key in (extra ?? {})).map((key) => [key, extra[key]]),
    );
    return toDevice({ ...base, ...betaFields });
  }

  async resetPasscode(id: string): Promise<GraphCallInfo> {
    const answer = await this.#as('resetPasscode', () =>
      this.#http.postAction('v1.0', `${devicePath(id)}/resetPasscode`),
    );
    const { status, requestId } = answer;
    if (status !== 204)
      this.#logger.warn(
        { status, requestId },
        'Graph answered the reset request without 204 (status and request-id only)',
      );
    this.#logger.info({ requestId }, 'Graph accepted the reset request (request-id only)');
    return requestId ? { requestId } : {};
  }

  /**
   * v1.0 first; a done entry without its passcode is read again on beta. The v1.0 metadata
   * defines resetPasscodeActionResult.passcode, but Microsoft's own samples read it from beta
   * (microsoftgraph/powershell-intune-samples issue 13) and v1.0 reads are reported without it.
   */
  async getResetResult(id: string): Promise<ResetResult | undefined> {
    const result = toResetResult(
      await this.#as('readDevices', () => this.#http.get<Json>('v1.0', actionResultsPath(id))),
    );
    if (!lacksPasscode(result)) return result;
    try {
      return withBetaPasscode(
        result,
        toResetResult(await this.#http.get<Json>('beta', actionResultsPath(id))),
      );
    } catch (error) {
      this.#betaPasscodeFailed(error);
      return result;
    }
  }

  #betaPasscodeFailed(error: unknown): void {
    const { status, code, requestId } = toIntuneError(error);
    this.#logger.warn(
      { status, code, requestId },
      'The beta read of a done reset failed; it has no passcode from v1.0 either',
    );
  }

  async getResetResults(ids: readonly string[]): Promise<Map<string, ResetResultOrError>> {
    const unique = [...new Set(ids)];
    const steps = unique.map((id, i) => ({ id: String(i), url: actionResultsPath(id) }));
    const answers = await this.#as('readDevices', () =>
      executeBatch(this.#http, 'v1.0', steps, this.#batch),
    );
    const results = new Map<string, ResetResultOrError>();
    for (const [i, id] of unique.entries()) {
      const answer = answers.get(String(i));
      const failure = failureOf(answer);
      const error = failure && (this.#forbidden(failure, 'readDevices') as IntuneError);
      results.set(
        id,
        error
          ? { ok: false, error }
          : { ok: true, result: toResetResult((answer as SubResponse).body) },
      );
    }
    await this.#passcodesFromBeta(results);
    return results;
  }

  /** Done entries that v1.0 gave without a passcode, read again in one beta $batch. */
  async #passcodesFromBeta(results: Map<string, ResetResultOrError>): Promise<void> {
    const missing = [...results].filter(([, r]) => r.ok && lacksPasscode(r.result));
    if (missing.length === 0) return;
    let answers;
    try {
      answers = await executeBatch(
        this.#http,
        'beta',
        missing.map(([id], i) => ({ id: String(i), url: actionResultsPath(id) })),
        this.#batch,
      );
    } catch (error) {
      this.#betaPasscodeFailed(error);
      return;
    }
    for (const [i, [id, read]] of missing.entries()) {
      const answer = answers.get(String(i));
      const failure = failureOf(answer);
      if (failure || !read.ok) {
        if (failure) this.#betaPasscodeFailed(failure);
        continue;
      }
      const beta = toResetResult((answer as SubResponse).body);
      results.set(id, { ok: true, result: withBetaPasscode(read.result, beta) });
    }
  }

  async checkPrerequisites(
    tenantId: string,
    wanted?: ReadonlySet<PrerequisiteId>,
  ): Promise<PrerequisiteReport> {
    return this.#as('readConfiguration', () =>
      checkPrerequisites(this.#http, tenantId, this.#batch, wanted),
    );
  }

  async checkMemberGroups(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const members = new Set<string>();
    // Graph takes at most 20 group ids per call.
    for (let i = 0; i < groupIds.length; i += CHECK_MEMBER_GROUPS_LIMIT) {
      const answer = await this.#as('checkMemberGroups', () =>
        this.#http.post<Json>('v1.0', `/users/${encodeURIComponent(userId)}/checkMemberGroups`, {
          groupIds: groupIds.slice(i, i + CHECK_MEMBER_GROUPS_LIMIT),
        }),
      );
      for (const id of Array.isArray(answer?.value) ? answer.value : []) {
        if (typeof id === 'string') members.add(id.toLowerCase());
      }
    }
    return groupIds.filter((id) => members.has(id.toLowerCase()));
  }

  async ping(): Promise<void> {
    // Needs only DeviceManagementManagedDevices.Read.All, which the bot has anyway.
    await this.#as('readDevices', () =>
      this.#http.get('v1.0', '/deviceManagement/managedDevices?$top=1&$select=id'),
    );
  }
}
