import { IntuneError, addMs, MINUTE_MS } from '../ports';
import {
  type Actor,
  type ConversationPointer,
  type Device,
  isOpaqueId,
  newOpaqueId,
} from '../shared';
import { byActor, deviceOwnerOf } from '../audit';
import {
  graphRefusal,
  refuse,
  type PickAnswer,
  type Refusal,
  platformKeyOf,
  enabledPlatforms,
  evaluateEligibility,
  platformRuleFor,
  PLATFORM_RULES,
} from '../desk';
import { boundTo, type DeskContext } from '../context';
import { toDeviceSummary } from '../records';
import { actingIntune } from '../access';
import { staleness } from '../search';

/** What Pick uses. */
type PickParts = Pick<
  DeskContext,
  'access' | 'audit' | 'auth' | 'clock' | 'deviceLocks' | 'pendingActions' | 'picks' | 'settings'
>;

/** A Pick press: checks the id's binding, re-reads the device, and opens a single-use pending action. */
export async function pickDevice(
  ctx: PickParts,
  actor: Actor,
  where: ConversationPointer,
  pickId: string,
): Promise<PickAnswer | Refusal> {
  const denied = await ctx.auth.require(actor, 'technician', 'pick');
  if (denied) return denied;
  if (!isOpaqueId(pickId))
    return ctx.audit.refusal(actor, 'pick', refuse('invalidInput', { field: 'pickId' }));
  const pick = await ctx.picks.get(pickId);
  if (!pick) return ctx.audit.refusal(actor, 'pick', refuse('unknownAction'));
  if (!boundTo(pick, actor, where)) {
    return ctx.audit.refusal(actor, 'pick', refuse('notYours'), { deviceId: pick.deviceId });
  }
  const now = ctx.clock.now();
  if (Date.parse(pick.expiresAt) <= now.getTime()) {
    return ctx.audit.refusal(actor, 'pick', refuse('expired'), { deviceId: pick.deviceId });
  }

  const read = await readEligibleDevice(ctx, actor, 'pick', pick.deviceId);
  if (read.kind === 'refused') return read;
  const { device, platform } = read;
  const about = {
    deviceId: device.id,
    deviceName: device.deviceName,
    ...deviceOwnerOf(device.userDisplayName || device.userPrincipalName),
  };
  const running = await ctx.deviceLocks.active(device.id, now);
  if (running) return ctx.audit.refusal(actor, 'pick', resetInProgress(running), about);

  const pendingActionId = newOpaqueId();
  const expiresAt = addMs(now, ctx.settings.PENDING_ACTION_MINUTES * MINUTE_MS).toISOString();
  await ctx.pendingActions.create({
    id: pendingActionId,
    tenantId: actor.tenantId,
    requester: requesterOf(actor),
    conversationKey: where.key,
    deviceId: device.id,
    device: toDeviceSummary(device),
    ...withPlatform(platformKeyOf(device)),
    createdAt: now.toISOString(),
    expiresAt,
  });
  await ctx.audit.write('pick', 'pendingAction', { ...byActor(actor), ...about });
  return {
    kind: 'confirm',
    pendingActionId,
    device,
    platform,
    expiresAt,
    ...staleness(ctx, device, now),
  };
}

/**
 * The device read by id (a single GET: list rows may lack or garble what the rules need)
 * and decided on that; refused with the reason when the rules say no. Pick and Confirm.
 */
export async function readEligibleDevice(
  ctx: Pick<DeskContext, 'access' | 'audit' | 'settings'>,
  actor: Actor,
  attempted: 'pick' | 'confirm',
  deviceId: string,
): Promise<{ kind: 'eligible'; device: Device; platform: string } | Refusal> {
  let device: Device | undefined;
  try {
    device = await actingIntune(ctx.access, actor).getDevice(deviceId);
  } catch (error) {
    if (!(error instanceof IntuneError && error.isNotFound)) {
      return ctx.audit.refusal(actor, attempted, graphRefusal(error), { deviceId });
    }
  }
  if (!device) return ctx.audit.refusal(actor, attempted, refuse('deviceNotFound'), { deviceId });
  const verdict = evaluateEligibility(device, PLATFORM_RULES, enabledPlatforms(ctx.settings));
  const rule = platformRuleFor(device)?.platform;
  if (verdict.eligible && rule) return { kind: 'eligible', device, platform: rule };
  const { reason, platform, detail } = verdict.eligible
    ? { reason: 'platformNotSupported' as const, platform: undefined, detail: undefined }
    : verdict;
  return ctx.audit.refusal(
    actor,
    attempted,
    refuse('notEligible', {
      reason,
      ...(platform ? { platform } : {}),
      ...(detail ? { detail } : {}),
    }),
    {
      deviceId: device.id,
      deviceName: device.deviceName,
      ...deviceOwnerOf(device.userDisplayName || device.userPrincipalName),
    },
  );
}

const withPlatform = (platform: string | undefined) => (platform ? { platform } : {});

export const requesterOf = (actor: Actor) => ({
  aadObjectId: actor.aadObjectId,
  locale: actor.locale,
  ...(actor.userPrincipalName ? { upn: actor.userPrincipalName } : {}),
  ...(actor.displayName ? { name: actor.displayName } : {}),
});

export const resetInProgress = (running: { requesterName?: string; since: string }): Refusal =>
  refuse('resetInProgress', { requester: running.requesterName ?? '', since: running.since });
