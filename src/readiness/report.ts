/**
 * What `check setup` and `npm run doctor` report: one item per check, each naming
 * its title and fix as message keys (src/readiness/messages.ts), so the same report
 * can be printed in a shell or rendered as a card in either language.
 */
export type ReadinessArea = 'graph' | 'permissions' | 'prerequisites' | 'storage' | 'bot';

export type ReadinessStatus = 'pass' | 'fail' | 'warn' | 'skip';

export const READINESS_AREAS: readonly ReadinessArea[] = [
  'graph',
  'permissions',
  'prerequisites',
  'storage',
  'bot',
];

export type ReadinessParams = Record<string, string>;

export interface ReadinessItem {
  /** Stable id for machines, e.g. 'graph.reachable', 'permission.GroupMember.Read.All'. */
  id: string;
  area: ReadinessArea;
  status: ReadinessStatus;
  /** Message key naming what was checked. */
  titleKey: string;
  /** Message key of the fix; shown under a failure or a warning. */
  fixKey: string;
  /** Parameters of both messages. Never a secret. */
  params: ReadinessParams;
  /** Non-localized detail (an error code, a profile name). Never a secret or a token. */
  detail?: string;
}

export interface ReadinessReport {
  /** ISO time the checks started. */
  checkedAt: string;
  /** The tenant whose prerequisites were checked, when known. */
  tenantId?: string;
  /** How Graph permissions were read: the token's roles, its scopes, or not at all. */
  permissionSource: 'roles' | 'scopes' | 'opaque' | 'none';
  items: ReadinessItem[];
  counts: Record<ReadinessStatus, number>;
  /** True when no item failed (warnings and skips allowed). */
  ok: boolean;
}

export function item(
  id: string,
  area: ReadinessArea,
  status: ReadinessStatus,
  keys: { titleKey: string; fixKey: string; params?: ReadinessParams },
  detail?: string,
): ReadinessItem {
  return {
    id,
    area,
    status,
    titleKey: keys.titleKey,
    fixKey: keys.fixKey,
    params: keys.params ?? {},
    ...(detail ? { detail } : {}),
  };
}

export function summarize(
  checkedAt: string,
  items: ReadinessItem[],
  extra: Pick<ReadinessReport, 'permissionSource'> & { tenantId?: string | undefined },
): ReadinessReport {
  const counts: Record<ReadinessStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const entry of items) counts[entry.status]++;
  return {
    checkedAt,
    ...(extra.tenantId ? { tenantId: extra.tenantId } : {}),
    permissionSource: extra.permissionSource,
    items,
    counts,
    ok: counts.fail === 0,
  };
}
