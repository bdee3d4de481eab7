import {
  IntuneError,
  type PrerequisiteId,
  type PrerequisiteReport,
  type AuditEntry,
} from '../ports';
import type { Actor, ConversationPointer, ResetJob } from '../shared';
import { byActor } from '../audit';
import {
  refuse,
  type Refusal,
  enabledPlatforms,
  POLICY,
  graphRefusal,
  prerequisitesOf,
} from '../desk';
import type { DeskContext } from '../context';
import { actingIntune } from '../access';

const clamp = (value: number, max: number): number =>
  Math.min(Math.max(Number.isFinite(value) ? Math.floor(value) : max, 1), max);

/** One of the actor's own resets, read by its key; someone else's answers as if it did not exist. */
export async function ownJob(
  ctx: Pick<DeskContext, 'auth' | 'jobs'>,
  actor: Actor,
  jobId: string,
): Promise<{ kind: 'job'; job: ResetJob } | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', 'status');
  if (denied) return denied;
  const job = (await ctx.jobs.get(jobId))?.value;
  const own = job?.tenantId === actor.tenantId && job.requester.aadObjectId === actor.aadObjectId;
  return own ? { kind: 'job', job } : refuse('notYours');
}

/** The actor's own recent resets, newest first. */
export async function jobStatus(
  ctx: Pick<DeskContext, 'auth' | 'jobs' | 'settings'>,
  actor: Actor,
  limit: number,
): Promise<{ kind: 'status'; jobs: ResetJob[]; awaitingApproval?: ResetJob[] } | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', 'status');
  if (denied) return denied;
  const jobs = await ctx.jobs.listByRequester(actor.tenantId, actor.aadObjectId);
  const max = clamp(limit, POLICY.maxStatusJobs);
  // Approvers also see the others' resets waiting for a decision (APPROVAL on only).
  const approver =
    ctx.settings.APPROVAL !== 'off' &&
    (await ctx.auth.hasRole(actor.tenantId, actor.aadObjectId, 'approver'));
  const waiting = approver ? await ctx.jobs.listAwaitingApproval(actor.tenantId) : [];
  const others = waiting.filter((job) => job.requester.aadObjectId !== actor.aadObjectId);
  return {
    kind: 'status',
    jobs: jobs.slice(0, max),
    ...(others.length ? { awaitingApproval: others.slice(0, max) } : {}),
  };
}

/** Admins only: the newest audit entries. */
export async function recentAudit(
  ctx: Pick<DeskContext, 'auditLog' | 'auth'>,
  actor: Actor,
  limit: number,
): Promise<{ kind: 'audit'; entries: AuditEntry[] } | Refusal> {
  const denied = await ctx.auth.require(actor, 'admin', 'audit');
  if (denied) return denied;
  return {
    kind: 'audit',
    entries: await ctx.auditLog.recent(clamp(limit, POLICY.maxAuditEntries)),
  };
}

/** Checks the tenant's PIN reset prerequisites (the configured tenant, else the actor's). */
export async function checkSetup(
  ctx: Pick<DeskContext, 'access' | 'audit' | 'auth' | 'settings'>,
  actor: Actor,
): Promise<{ kind: 'setup'; report: PrerequisiteReport } | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', 'setupCheck');
  if (denied) return denied;
  const tenantId = ctx.settings.AZURE_TENANT_ID ?? actor.tenantId;
  let report: PrerequisiteReport;
  try {
    report = await actingIntune(ctx.access, actor).checkPrerequisites(
      tenantId,
      prerequisitesOf(enabledPlatforms(ctx.settings)),
    );
  } catch (error) {
    // A 403 is the answer to "is this set up?": every check unread, naming the permission.
    if (!(error instanceof IntuneError && error.isForbidden))
      return ctx.audit.refusal(actor, 'setupCheck', graphRefusal(error));
    report = unreadableReport(tenantId, error);
  }
  const failed = report.checks.filter((check) => !check.passed).map((check) => check.id);
  await ctx.audit.write('setupCheck', report.allPassed ? 'passed' : 'failed', {
    ...byActor(actor),
    ...(failed.length ? { detail: failed.join(',') } : {}),
  });
  return { kind: 'setup', report };
}

/** Admins only, in a channel: make it the helpdesk channel for notifications. */
export async function notifyHere(
  ctx: Pick<DeskContext, 'audit' | 'auth' | 'clock' | 'settingsStore'>,
  actor: Actor,
  where: ConversationPointer,
): Promise<{ kind: 'notifyHere' } | Refusal> {
  const denied = await ctx.auth.require(actor, 'admin', 'configure');
  if (denied) return denied;
  if (where.kind !== 'channel')
    return ctx.audit.refusal(actor, 'configure', refuse('notInChannel'));
  await ctx.settingsStore.setHelpdeskChannel({
    conversationKey: where.key,
    setBy: {
      aadObjectId: actor.aadObjectId,
      ...(actor.userPrincipalName ? { upn: actor.userPrincipalName } : {}),
    },
    setAt: ctx.clock.now().toISOString(),
  });
  await ctx.audit.write('configure', 'helpdeskChannel', {
    ...byActor(actor),
    detail: 'notifyHere',
  });
  return { kind: 'notifyHere' };
}

const PREREQUISITES: readonly PrerequisiteId[] = [
  'pinResetServicePrincipal',
  'pinResetClientPrincipal',
  'enablePinRecoveryProfile',
  'enablePinRecoveryAssignment',
];

function unreadableReport(tenantId: string, error: IntuneError): PrerequisiteReport {
  const lacks = error.missingPermissions.join(' + ') || 'a permission';
  const detail = `not checked: Graph answered 403, the app lacks ${lacks}${error.requestId ? ` (request-id ${error.requestId})` : ''}`;
  return {
    tenantId,
    checks: PREREQUISITES.map((id) => ({ id, passed: false, detail })),
    allPassed: false,
  };
}
