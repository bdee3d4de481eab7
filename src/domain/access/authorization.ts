import { type Intune, IntuneError, type Clock } from '../ports';
import type { Logger } from '../../logger';
import type { Actor, Role } from '../shared';
import { type AuditFields, type AuditWriter, errorName } from '../audit';
import { refuse, type Refusal, POLICY, type DeskSettings } from '../desk';
import type { IntuneAccess } from './intuneAccess';

interface CachedRoles {
  roles: ReadonlySet<Role>;
  expiresAt: number;
}

const MAX_CACHED_USERS = 5_000;

/**
 * An Entra object id is a GUID. Accepted: hex digits and dashes only, GUID-sized (the
 * Agents Playground's mock ids carry a 13th digit), so nothing that could steer a Graph
 * URL gets through; anything else (missing, or text meant for a URL) is no identity.
 */
export const ENTRA_OBJECT_ID = /^[0-9a-f][0-9a-f-]{30,38}[0-9a-f]$/i;

/**
 * Who may do what.
 * - Tenant: ALLOWED_TENANT_IDS when set; otherwise only the bot's own tenant
 *   (AZURE_TENANT_ID / MicrosoftAppTenantId); with neither, any tenant only in
 *   local development and none otherwise.
 * - Roles: transitive members of HELPDESK_GROUP_IDS are technicians, of
 *   ADMIN_GROUP_IDS admins, of APPROVER_GROUP_IDS approvers (one checkMemberGroups,
 *   cached per user for 5 minutes).
 *   With no HELPDESK_GROUP_IDS everybody holds both roles in local development
 *   (the offline demo) and nobody does otherwise: an unconfigured production bot
 *   refuses everyone rather than trusting everyone.
 * - An actor without an Entra object id (a GUID) is refused whatever the settings.
 * - A Graph failure refuses (fails closed) and is not cached.
 * - GRAPH_AUTH=delegated: after the tenant check, a technician without a token is
 *   refused with 'signInRequired' (not audited: it is a step of signing in, and the
 *   bot layer shows the sign-in card). The group check then runs with their own token,
 *   so nothing reaches Graph before they sign in.
 * Every other refusal is audited.
 */
export class Authorization {
  private readonly cache = new Map<string, CachedRoles>();

  constructor(
    private readonly settings: DeskSettings,
    private readonly intune: Intune,
    private readonly clock: Clock,
    private readonly audit: AuditWriter,
    private readonly logger: Logger,
    /** Whose token the group check carries; default: always the app's `intune`. */
    private readonly access?: IntuneAccess,
  ) {}

  /** undefined when allowed; otherwise the (already audited) refusal. */
  async require(
    actor: Actor,
    role: Role,
    attempted: string,
    fields?: AuditFields,
  ): Promise<Refusal | undefined> {
    if (!this.tenantAllowed(actor.tenantId)) {
      return this.audit.refusal(actor, attempted, refuse('tenantNotAllowed'));
    }
    if (!ENTRA_OBJECT_ID.test(actor.aadObjectId)) {
      // No Entra identity, nothing to check a role against: no device data, even in local development.
      return this.audit.refusal(actor, attempted, refuse('notTechnician'));
    }
    const intune = this.access ? this.access.forActor(actor) : this.intune;
    if (!intune) return refuse('signInRequired');
    let roles: ReadonlySet<Role>;
    try {
      roles = await this.rolesOf(actor, intune);
    } catch (error) {
      this.logger.warn({ err: errorName(error), actorId: actor.aadObjectId }, 'Role check failed');
      const requestId = error instanceof IntuneError ? error.requestId : undefined;
      // Fail closed either way; a 403 says the bot lacks User.Read.All / GroupMember.Read.All.
      const reason =
        error instanceof IntuneError && error.isForbidden
          ? 'permissionMissing'
          : 'graphUnavailable';
      return this.audit.refusal(actor, attempted, refuse(reason, undefined, requestId));
    }
    if (roles.has(role)) return undefined;
    return this.audit.refusal(
      actor,
      attempted,
      refuse(role === 'admin' ? 'notAdmin' : role === 'approver' ? 'notApprover' : 'notTechnician'),
      fields,
    );
  }

  /**
   * Whether someone holds `role`, without auditing (used to pick who gets an approval card
   * privately). False on any Graph failure.
   */
  async hasRole(tenantId: string, aadObjectId: string, role: Role): Promise<boolean> {
    if (!this.tenantAllowed(tenantId) || !ENTRA_OBJECT_ID.test(aadObjectId)) return false;
    try {
      return (await this.rolesOf({ tenantId, aadObjectId }, this.intune)).has(role);
    } catch (error) {
      this.logger.warn({ err: errorName(error), actorId: aadObjectId }, 'Role check failed');
      return false;
    }
  }

  tenantAllowed(tenantId: string): boolean {
    const wanted = tenantId.toLowerCase();
    const allowed = this.settings.ALLOWED_TENANT_IDS.length
      ? this.settings.ALLOWED_TENANT_IDS
      : [this.settings.AZURE_TENANT_ID, this.settings.MicrosoftAppTenantId].filter(
          (id): id is string => !!id,
        );
    if (allowed.length === 0) return this.settings.localDevelopment;
    return allowed.some((id) => id.toLowerCase() === wanted);
  }

  private async rolesOf(
    actor: Pick<Actor, 'tenantId' | 'aadObjectId'>,
    intune: Intune,
  ): Promise<ReadonlySet<Role>> {
    const { HELPDESK_GROUP_IDS: helpdesk, ADMIN_GROUP_IDS: admins } = this.settings;
    const approvers = this.settings.APPROVER_GROUP_IDS;
    if (helpdesk.length === 0) {
      return new Set<Role>(
        this.settings.localDevelopment ? ['technician', 'admin', 'approver'] : [],
      );
    }
    if (!actor.aadObjectId) return new Set();
    const key = `${actor.tenantId}/${actor.aadObjectId}`;
    const now = this.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.roles;

    const groups = [
      ...new Set([...helpdesk, ...admins, ...approvers].map((id) => id.toLowerCase())),
    ];
    const memberOf = new Set(
      (await intune.checkMemberGroups(actor.aadObjectId, groups)).map((id) => id.toLowerCase()),
    );
    const roles = new Set<Role>();
    const inAny = (ids: readonly string[]) => ids.some((id) => memberOf.has(id.toLowerCase()));
    if (inAny(helpdesk)) roles.add('technician');
    if (inAny(admins)) roles.add('admin');
    if (inAny(approvers)) roles.add('approver');
    this.remember(key, { roles, expiresAt: now + POLICY.roleCacheMs });
    return roles;
  }

  private remember(key: string, entry: CachedRoles): void {
    this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED_USERS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, entry);
  }
}
