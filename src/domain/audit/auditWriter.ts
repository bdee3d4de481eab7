import type { Logger } from '../../logger';
import type { AuditLog, AuditAction, AuditEntry, Clock } from '../ports';
import type { Actor, ResetJob } from '../shared';
import type { ActivityRefusal, Refusal } from '../desk';

export type AuditFields = Omit<AuditEntry, 'at' | 'action' | 'outcome' | 'actorId'> & {
  actorId?: string;
};

export const SYSTEM_ACTOR = 'system';
/** actorId of an activity refused at the door without a valid Entra object id. */
export const UNIDENTIFIED_ACTOR = 'unidentified';

/** Longest text kept in one audit column (`detail`: MAX_AUDIT_DETAIL); longer is cut. */
export const MAX_AUDIT_FIELD = 256;
export const MAX_AUDIT_DETAIL = 1024;

/** Every text column cut to its bound: one entry stays small whatever reached it. */
function bounded(entry: AuditEntry): AuditEntry {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    const max = key === 'detail' ? MAX_AUDIT_DETAIL : MAX_AUDIT_FIELD;
    out[key] = typeof value === 'string' && value.length > max ? `${value.slice(0, max)}…` : value;
  }
  return out as unknown as AuditEntry;
}

/** The actor columns of an entry. */
export const byActor = (
  actor: Actor,
): Pick<AuditEntry, 'actorId' | 'actorUpn' | 'actorName' | 'tenantId'> => ({
  actorId: actor.aadObjectId,
  ...(actor.userPrincipalName ? { actorUpn: actor.userPrincipalName } : {}),
  ...(actor.displayName ? { actorName: actor.displayName } : {}),
  tenantId: actor.tenantId,
});

/** The job columns of an entry (whose reset, device, ticket, Graph request id). */
export const aboutJob = (job: ResetJob): AuditFields => ({
  requesterId: job.requester.aadObjectId,
  ...(job.requester.upn ? { requesterUpn: job.requester.upn } : {}),
  ...(job.requester.name ? { requesterName: job.requester.name } : {}),
  tenantId: job.tenantId,
  deviceId: job.device.id,
  deviceName: job.device.name,
  ...deviceOwnerOf(job.device.ownerName || job.device.ownerUpn),
  jobId: job.id,
  ...(job.ticketRef ? { ticketRef: job.ticketRef } : {}),
  ...(job.graphRequestId ? { graphRequestId: job.graphRequestId } : {}),
});

/** The deviceOwner column, when the device has an owner. */
export const deviceOwnerOf = (owner: string | null | undefined): Pick<AuditEntry, 'deviceOwner'> =>
  owner ? { deviceOwner: owner } : {};

/**
 * The one way into the audit log. Entries are built from named fields only (never
 * from a Passcode or an error message), so a passcode has no path in.
 * An append that fails is logged and swallowed: a broken audit store must not
 * leave a reset half done (the documents store would normally fail the same way first).
 */
export class AuditWriter {
  constructor(
    private readonly log: AuditLog<AuditEntry>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async write(action: AuditAction, outcome: string, fields: AuditFields): Promise<void> {
    const entry: AuditEntry = bounded({
      at: this.clock.now().toISOString(),
      action,
      actorId: fields.actorId ?? SYSTEM_ACTOR,
      outcome,
      ...withoutUndefined(fields),
    });
    try {
      await this.log.append(entry);
    } catch (error) {
      this.logger.error(
        { err: errorName(error), action, jobId: fields.jobId },
        'Could not append to the audit log',
      );
    }
  }

  /**
   * An activity refused at the door (not what Teams sends: another channel, two tenants,
   * malformed ids). Only validated ids and field names are recorded, never raw values.
   */
  async activityRefusal(refusal: ActivityRefusal): Promise<void> {
    const type = /^[A-Za-z/]{1,40}$/.test(refusal.activityType ?? '')
      ? refusal.activityType
      : 'activity';
    const channel = refusal.channelId ? ` (${refusal.channelId})` : '';
    await this.write('refused', refusal.reason, {
      actorId: refusal.aadObjectId ?? UNIDENTIFIED_ACTOR,
      ...(refusal.tenantId ? { tenantId: refusal.tenantId } : {}),
      detail: `${type}: ${refusal.field}${channel}`,
    });
  }

  /** Records a refusal: outcome is the reason code, `attempted` what was refused. */
  async refusal(
    actor: Actor,
    attempted: string,
    refusal: Refusal,
    fields: AuditFields = {},
  ): Promise<Refusal> {
    await this.write('refused', refusal.reason, {
      ...byActor(actor),
      ...fields,
      detail: fields.detail ? `${attempted}: ${fields.detail}` : attempted,
      ...(refusal.graphRequestId ? { graphRequestId: refusal.graphRequestId } : {}),
    });
    return refusal;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An error's class name only: messages may quote things that must not be stored. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
