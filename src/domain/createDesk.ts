import {
  type Intune,
  type Stores,
  type AuditEntry,
  systemClock,
  type Clock,
  type Messenger,
  noMetrics,
  type Metrics,
} from './ports';
import type { Logger } from '../logger';
import { decideApproval } from './approval';
import { AuditWriter } from './audit';
import {
  Authorization,
  appIntuneAccess,
  delegatedIntuneAccess,
  type DelegatedIntuneParts,
} from './access';
import { type Desk, POLICY, type DeskSettings } from './desk';
import { type CoreContext, type DeskContext, ReadBudget, GraphGate } from './context';
import { jobStatus, checkSetup, notifyHere, ownJob, recentAudit } from './admin';
import { searchDevices } from './search';
import {
  DeviceLockRepository,
  RateLimits,
  JobRepository,
  PendingActionRepository,
  PickRepository,
  SettingsRepository,
} from './records';
import { showPasscode } from './delivery';
import { cancelReset, confirmReset, pickDevice } from './reset';
import { Tracker, defaultInstanceId } from './tracking';

export interface DeskDependencies {
  /** The loaded Config (or any object with the DeskSettings fields). */
  config: DeskSettings;
  intune: Intune;
  stores: Stores<AuditEntry>;
  messenger: Messenger;
  logger: Logger;
  clock?: Clock;
  /**
   * Names this instance in job leases; instances sharing a store need distinct ids. A
   * restarted process with the same id resumes its own leased jobs at once; with a new
   * id it waits until they expire (see trackingLease.ts). Default: host, pid and a
   * random suffix (defaultInstanceId).
   */
  instanceId?: string;
  /** Default: none (noMetrics). */
  metrics?: Metrics;
  /**
   * GRAPH_AUTH=delegated: Graph calls carry technicians' own tokens instead of the app's
   * (intuneAccess.ts explains whose token each call uses). Absent: app-only mode.
   */
  delegated?: DelegatedIntuneParts;
}

export interface DeskParts {
  desk: Desk;
  tracker: Tracker;
  /** Also what the bot layer's Messenger reads to find the helpdesk channel. */
  settings: SettingsRepository;
  /** How this instance names itself in job leases. */
  instanceId: string;
}

/** Builds the domain: the Desk the bot layer calls and the tracker that moves resets along. */
export function createDesk(deps: DeskDependencies): DeskParts {
  const clock = deps.clock ?? systemClock;
  const documents = deps.stores.documents;
  const audit = new AuditWriter(deps.stores.audit, clock, deps.logger);
  const jobs = new JobRepository(documents, { clock, logger: deps.logger });
  const settings = new SettingsRepository(documents);
  const instanceId = deps.instanceId ?? defaultInstanceId();
  const access = deps.delegated
    ? delegatedIntuneAccess(deps.delegated)
    : appIntuneAccess(deps.intune);
  const core: CoreContext = {
    settings: deps.config,
    access,
    messenger: deps.messenger,
    clock,
    logger: deps.logger,
    audit,
    jobs,
  };
  const auth = new Authorization(deps.config, deps.intune, clock, audit, deps.logger, access);
  const tracker = new Tracker(
    {
      ...core,
      owner: instanceId,
      graph: new GraphGate(),
      readBudget: new ReadBudget(POLICY.trackerReadsPerWindow, POLICY.trackerReadWindowMs),
      metrics: deps.metrics ?? noMetrics,
      isApprover: (tenantId, aadObjectId) => auth.hasRole(tenantId, aadObjectId, 'approver'),
    },
    documents,
  );
  const ctx: DeskContext = {
    ...core,
    auditLog: deps.stores.audit,
    auth,
    picks: new PickRepository(documents),
    pendingActions: new PendingActionRepository(documents),
    deviceLocks: new DeviceLockRepository(documents, jobs),
    rateLimits: new RateLimits(documents, deps.config),
    settingsStore: settings,
    wakeTracker: () => tracker.wake(),
  };
  const desk: Desk = {
    acceptsTenant: (tenantId) => ctx.auth.tenantAllowed(tenantId),
    refuseActivity: (refusal) => audit.activityRefusal(refusal),
    search: (actor, where, query, options) => searchDevices(ctx, actor, where, query, options),
    pick: (actor, where, pickId) => pickDevice(ctx, actor, where, pickId),
    confirm: (actor, where, pendingActionId, ticketRef, acknowledged) =>
      confirmReset(ctx, actor, where, pendingActionId, ticketRef, acknowledged),
    cancel: (actor, pendingActionId) => cancelReset(ctx, actor, pendingActionId),
    job: (actor, jobId) => ownJob(ctx, actor, jobId),
    status: (actor, limit) => jobStatus(ctx, actor, limit),
    showPasscode: (actor, where, target) => showPasscode(ctx, actor, where, target),
    checkSetup: (actor) => checkSetup(ctx, actor),
    audit: (actor, limit) => recentAudit(ctx, actor, limit),
    notifyHere: (actor, where) => notifyHere(ctx, actor, where),
    approve: (actor, jobId) => decideApproval(ctx, actor, jobId, 'approved'),
    deny: (actor, jobId, reason) => decideApproval(ctx, actor, jobId, 'denied', reason),
  };
  return { desk, tracker, settings, instanceId };
}
