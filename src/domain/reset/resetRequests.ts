import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Actor,
  type ConversationPointer,
  type ResetJob,
  newOpaqueId,
  isOpaqueId,
  MAX_TICKET_REF_LENGTH,
  cleanText,
} from '../shared';
import { aboutJob, byActor } from '../audit';
import { refuse, type ConfirmAnswer, type Refusal, supportedRule, needsApproval } from '../desk';
import { boundTo, type DeskContext } from '../context';
import { readEligibleDevice, requesterOf, resetInProgress } from './pickDevice';
import type { PendingAction, PendingActionDocument } from '../records';
import { addMs, MINUTE_MS } from '../ports';
import { ticketRefusal } from './ticketPolicy';

/** What Confirm uses (Cancel and the helpers: the few parts they name). */
type ConfirmParts = Pick<
  DeskContext,
  | 'access'
  | 'audit'
  | 'auth'
  | 'clock'
  | 'deviceLocks'
  | 'jobs'
  | 'pendingActions'
  | 'rateLimits'
  | 'settings'
  | 'wakeTracker'
>;

type Where = ConversationPointer & { activityId?: string };

/**
 * Confirm: the checks, a slot in each rate-limit window (rateLimits.ts), then three
 * conditional writes in this order —
 * 1. claim the pending action (usedAt + jobId, ifMatch): of two racing confirms
 *    exactly one wins, the other answers 'duplicate' with the winner's job;
 * 2. take the device lock: one running reset per device, across technicians;
 * 3. store the job as `requested`.
 * Submission to Graph happens in the tracker, started without waiting for it.
 * A crash between 1 and 3 leaves a used action without a job: a later press of
 * the same button answers 'alreadyUsed' and the device lock expires on its own.
 */
export async function confirmReset(
  ctx: ConfirmParts,
  actor: Actor,
  where: Where,
  pendingActionId: string,
  rawTicketRef: string | undefined,
  acknowledged = false,
): Promise<ConfirmAnswer | Refusal> {
  const checked = await loadOwnAction(ctx, actor, 'confirm', pendingActionId, where);
  if (checked.kind === 'refused') return checked;
  const { doc } = checked;
  const action = doc.value;
  const about = { deviceId: action.deviceId, deviceName: action.device.name };
  if (action.jobId) return duplicate(ctx, actor, action);
  if (action.cancelledAt) return ctx.audit.refusal(actor, 'confirm', refuse('alreadyUsed'), about);
  const now = ctx.clock.now();
  if (Date.parse(action.expiresAt) <= now.getTime()) {
    return ctx.audit.refusal(actor, 'confirm', refuse('expired'), about);
  }
  // iOS Remove passcode leaves the device unprotected: the card's line must be ticked.
  // The card stays usable, so the technician can tick it and press Confirm again.
  if (supportedRule(action.platform)?.reset.extraConfirmationKey && !acknowledged) {
    return ctx.audit.refusal(actor, 'confirm', refuse('acknowledgementRequired'), about);
  }
  const ticketRef = rawTicketRef?.trim()
    ? cleanText(rawTicketRef, MAX_TICKET_REF_LENGTH)
    : undefined;
  if (rawTicketRef?.trim() && !ticketRef) {
    return ctx.audit.refusal(
      actor,
      'confirm',
      refuse('invalidInput', { field: 'ticketRef', maxLength: MAX_TICKET_REF_LENGTH }),
      about,
    );
  }
  const ticketRefused = ticketRefusal(ctx.settings, ticketRef);
  if (ticketRefused) {
    return ctx.audit.refusal(actor, 'confirm', ticketRefused, {
      ...about,
      ...(ticketRef ? { ticketRef } : {}),
    });
  }
  // Decided on the device itself again: it may have changed since Pick (issue 12: list
  // rows are not trusted, so the single GET decides, at Pick and here).
  const recheck = await readEligibleDevice(ctx, actor, 'confirm', action.deviceId);
  if (recheck.kind === 'refused') return recheck;
  const jobId = newOpaqueId();
  const limited = await ctx.rateLimits.reserve(actor, jobId, now);
  if (limited) return ctx.audit.refusal(actor, 'confirm', limited, about);
  // From here on, a confirm that does not become a job gives its rate-limit slots back.
  const giveBack = () => ctx.rateLimits.release(actor, jobId);
  const running = await ctx.deviceLocks.active(action.deviceId, now);
  if (running) {
    await giveBack();
    // A press of this same card that won meanwhile is the running reset: a duplicate, not a refusal.
    const latest = (await ctx.pendingActions.get(pendingActionId))?.value;
    if (latest?.jobId) return duplicate(ctx, actor, latest);
    return ctx.audit.refusal(actor, 'confirm', resetInProgress(running), about);
  }

  const claimed = await ctx.pendingActions.replace(doc, {
    ...action,
    usedAt: now.toISOString(),
    jobId,
  });
  if (!claimed) {
    await giveBack();
    return lostClaim(ctx, actor, pendingActionId, about);
  }

  const requester = requesterOf(actor);
  const lock = await ctx.deviceLocks.acquire(
    {
      deviceId: action.deviceId,
      jobId,
      requesterId: actor.aadObjectId,
      since: now.toISOString(),
      ...(requester.name || requester.upn
        ? { requesterName: requester.name ?? requester.upn }
        : {}),
    },
    now,
  );
  if (!lock.acquired) {
    // Another technician's reset got the device first: give this button back.
    await ctx.pendingActions.replace(claimed, action);
    await giveBack();
    return ctx.audit.refusal(actor, 'confirm', resetInProgress(lock.holder), about);
  }

  const approval = needsApproval(ctx.settings, action.platform)
    ? {
        requestedAt: now.toISOString(),
        expiresAt: addMs(now, ctx.settings.APPROVAL_EXPIRY_MINUTES * MINUTE_MS).toISOString(),
      }
    : undefined;
  const job: ResetJob = {
    id: jobId,
    tenantId: actor.tenantId,
    device: action.device,
    requester,
    origin: {
      key: where.key,
      kind: where.kind,
      ...(where.activityId ? { activityId: where.activityId } : {}),
    },
    ...(ticketRef ? { ticketRef } : {}),
    ...(action.platform ? { platform: action.platform } : {}),
    ...(approval ? { approval } : {}),
    state: approval ? 'awaitingApproval' : 'requested',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    checks: 0,
    remindersSent: 0,
    notified: [],
    pendingActionId: action.id,
    submitAttempts: 0,
  };
  try {
    await ctx.jobs.create(job);
  } catch (error) {
    await ctx.deviceLocks.release(action.deviceId, jobId);
    await ctx.pendingActions.replace(claimed, action);
    await giveBack();
    throw error;
  }
  await ctx.audit.write('confirm', 'accepted', { ...byActor(actor), ...aboutJob(job) });
  if (approval) {
    await ctx.audit.write('approval', 'requested', {
      ...byActor(actor),
      ...aboutJob(job),
      detail: `expires ${approval.expiresAt}`,
    });
  }
  // Submits the reset, or sends the approval card when it waits for one.
  ctx.wakeTracker();
  return { kind: 'accepted', job };
}

/** Cancel: the same checks as confirm; marks the pending action cancelled (single use). */
export async function cancelReset(
  ctx: Pick<DeskContext, 'audit' | 'auth' | 'clock' | 'pendingActions'>,
  actor: Actor,
  pendingActionId: string,
): Promise<{ kind: 'cancelled' } | Refusal> {
  const checked = await loadOwnAction(ctx, actor, 'cancel', pendingActionId);
  if (checked.kind === 'refused') return checked;
  const { doc } = checked;
  const action = doc.value;
  const about = { deviceId: action.deviceId, deviceName: action.device.name };
  if (action.jobId) return ctx.audit.refusal(actor, 'cancel', refuse('alreadyUsed'), about);
  if (action.cancelledAt) return { kind: 'cancelled' };
  const now = ctx.clock.now();
  if (Date.parse(action.expiresAt) <= now.getTime()) {
    return ctx.audit.refusal(actor, 'cancel', refuse('expired'), about);
  }
  const cancelled = await ctx.pendingActions.replace(doc, {
    ...action,
    cancelledAt: now.toISOString(),
  });
  if (!cancelled) {
    const latest = (await ctx.pendingActions.get(pendingActionId))?.value;
    if (!latest?.cancelledAt)
      return ctx.audit.refusal(actor, 'cancel', refuse('alreadyUsed'), about);
  }
  await ctx.audit.write('cancel', 'cancelled', { ...byActor(actor), ...about });
  return { kind: 'cancelled' };
}

async function loadOwnAction(
  ctx: Pick<DeskContext, 'audit' | 'auth' | 'pendingActions'>,
  actor: Actor,
  attempted: 'confirm' | 'cancel',
  pendingActionId: string,
  where?: Where,
): Promise<{ kind: 'ok'; doc: PendingActionDocument } | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', attempted);
  if (denied) return denied;
  if (!isOpaqueId(pendingActionId)) {
    return ctx.audit.refusal(
      actor,
      attempted,
      refuse('invalidInput', { field: 'pendingActionId' }),
    );
  }
  const doc = await ctx.pendingActions.get(pendingActionId);
  if (!doc) return ctx.audit.refusal(actor, attempted, refuse('unknownAction'));
  const action = doc.value;
  const owner = {
    tenantId: action.tenantId,
    aadObjectId: action.requester.aadObjectId,
    conversationKey: action.conversationKey,
  };
  if (!boundTo(owner, actor, where)) {
    return ctx.audit.refusal(actor, attempted, refuse('notYours'), {
      deviceId: action.deviceId,
      deviceName: action.device.name,
    });
  }
  return { kind: 'ok', doc };
}

/** The other confirm (or a cancel) changed the action first. */
async function lostClaim(
  ctx: Pick<DeskContext, 'audit' | 'jobs' | 'pendingActions'>,
  actor: Actor,
  pendingActionId: string,
  about: { deviceId: string; deviceName: string },
): Promise<ConfirmAnswer | Refusal> {
  const latest = (await ctx.pendingActions.get(pendingActionId))?.value;
  if (latest?.jobId) return duplicate(ctx, actor, latest);
  return ctx.audit.refusal(actor, 'confirm', refuse('alreadyUsed'), about);
}

/** JOB_APPEAR_WAIT: the winner of a race stores its job right after its claim. */
const JOB_APPEAR_TRIES = 20;
const JOB_APPEAR_WAIT_MS = 50;

/** A repeated press: the same job again, with no new Graph call. */
async function duplicate(
  ctx: Pick<DeskContext, 'audit' | 'jobs'>,
  actor: Actor,
  action: PendingAction,
): Promise<ConfirmAnswer | Refusal> {
  const about = { deviceId: action.deviceId, deviceName: action.device.name };
  for (let attempt = 0; action.jobId && attempt < JOB_APPEAR_TRIES; attempt++) {
    const job = await ctx.jobs.get(action.jobId);
    if (job) {
      await ctx.audit.write('confirm', 'duplicate', { ...byActor(actor), ...aboutJob(job.value) });
      return { kind: 'duplicate', job: job.value };
    }
    await sleep(JOB_APPEAR_WAIT_MS);
  }
  return ctx.audit.refusal(actor, 'confirm', refuse('alreadyUsed'), about);
}
