import { enablePinRecoveryUri } from '../intune/prerequisites';
import { IntuneError, type Intune, type PrerequisiteId } from '../domain/ports';
import { errorDetail, withTimeout } from './errorDetail';
import { item, type ReadinessItem } from './report';

/** The admin-consent pages of the two PIN reset apps (docs/DEPLOY.md step 6). */
export const PIN_RESET_CONSENT_URLS = {
  service:
    'https://login.windows.net/common/oauth2/authorize?response_type=code&client_id=b8456c59-1230-44c7-a4a2-99b085333e84&resource=https%3A%2F%2Fgraph.windows.net&redirect_uri=https%3A%2F%2Fcred.microsoft.com&prompt=admin_consent',
  client:
    'https://login.windows.net/common/oauth2/authorize?response_type=code&client_id=9115dd05-fad5-4f9c-acc7-305d08b1b04e&resource=https%3A%2F%2Fcred.microsoft.com%2F&redirect_uri=ms-appx-web%3A%2F%2FMicrosoft.AAD.BrokerPlugin%2F9115dd05-fad5-4f9c-acc7-305d08b1b04e&prompt=admin_consent',
} as const;

const PREREQUISITE_IDS: readonly PrerequisiteId[] = [
  'pinResetServicePrincipal',
  'pinResetClientPrincipal',
  'enablePinRecoveryProfile',
  'enablePinRecoveryAssignment',
];

/** The fix for a failed Graph call, by what the failure says. */
export function graphFixKey(error: unknown): string {
  if (error instanceof IntuneError) {
    if (error.code === 'TokenAcquisitionError' || error.status === 401)
      return 'readiness.fix.graph.credentials';
    if (error.status === 403) return 'readiness.fix.graph.forbidden';
    if (error.status === 429) return 'readiness.fix.graph.throttled';
    if (error.status === 0) return 'readiness.fix.graph.unreachable';
  }
  if (error instanceof Error && error.name === 'TokenAcquisitionError')
    return 'readiness.fix.graph.credentials';
  if (error instanceof Error && error.name === 'ReadinessTimeoutError')
    return 'readiness.fix.graph.unreachable';
  return 'readiness.fix.graph.error';
}

/** True when nothing else on Graph can work either (no connection, no valid token). */
export function graphUnusable(error: unknown): boolean {
  const fixKey = graphFixKey(error);
  return (
    fixKey === 'readiness.fix.graph.unreachable' || fixKey === 'readiness.fix.graph.credentials'
  );
}

export interface GraphReachability {
  item: ReadinessItem;
  error?: unknown;
}

export async function graphReachable(
  intune: Intune,
  baseUrl: string,
  timeoutMs: number,
  secrets: readonly (string | undefined)[],
): Promise<GraphReachability> {
  const keys = { titleKey: 'readiness.check.graph.reachable', params: { baseUrl } };
  try {
    await withTimeout(intune.ping(), timeoutMs, 'Graph');
    return {
      item: item('graph.reachable', 'graph', 'pass', {
        ...keys,
        fixKey: 'readiness.fix.graph.unreachable',
      }),
    };
  } catch (error) {
    return {
      item: item(
        'graph.reachable',
        'graph',
        'fail',
        { ...keys, fixKey: graphFixKey(error) },
        errorDetail(error, secrets),
      ),
      error,
    };
  }
}

/** Why Graph is not checked from here at all. */
export function graphSkipped(baseUrl: string, detail: string, fixKey: string): ReadinessItem {
  return item(
    'graph.reachable',
    'graph',
    'skip',
    { titleKey: 'readiness.check.graph.reachable', fixKey, params: { baseUrl } },
    detail,
  );
}

function prerequisiteParams(id: PrerequisiteId, tenantId: string): Record<string, string> {
  switch (id) {
    case 'pinResetServicePrincipal':
      return { tenantId, consentUrl: PIN_RESET_CONSENT_URLS.service };
    case 'pinResetClientPrincipal':
      return { tenantId, consentUrl: PIN_RESET_CONSENT_URLS.client };
    default:
      return { tenantId, omaUri: enablePinRecoveryUri(tenantId) };
  }
}

const prerequisiteKeys = (id: PrerequisiteId, tenantId: string) => ({
  titleKey: `readiness.check.prerequisite.${id}`,
  fixKey: `readiness.fix.prerequisite.${id}`,
  params: prerequisiteParams(id, tenantId),
});

/** Every prerequisite not checked, for one reason: skipped, or a warning when the fix is ours to give. */
export function prerequisitesNotChecked(
  tenantId: string | undefined,
  status: 'skip' | 'warn',
  detail: string,
  fixKey?: string,
  wanted: readonly PrerequisiteId[] = PREREQUISITE_IDS,
): ReadinessItem[] {
  return wanted.map((id) => {
    const keys = prerequisiteKeys(id, tenantId ?? '');
    return item(
      `prerequisite.${id}`,
      'prerequisites',
      status,
      { ...keys, ...(fixKey ? { fixKey } : {}) },
      detail,
    );
  });
}

/**
 * intune.checkPrerequisites, one item per check; a failed read fails them all with its fix.
 * `wanted`: the prerequisites of the platforms served (RESET_PLATFORMS), default the seed's.
 */
export async function prerequisiteItems(
  intune: Intune,
  tenantId: string,
  timeoutMs: number,
  secrets: readonly (string | undefined)[],
  wanted: readonly PrerequisiteId[] = PREREQUISITE_IDS,
): Promise<ReadinessItem[]> {
  let report;
  try {
    report = await withTimeout(
      intune.checkPrerequisites(tenantId, new Set(wanted)),
      timeoutMs,
      'Graph',
    );
  } catch (error) {
    const fixKey =
      graphFixKey(error) === 'readiness.fix.graph.forbidden'
        ? 'readiness.fix.prerequisite.unreadable'
        : graphFixKey(error);
    const lacking =
      error instanceof IntuneError && error.missingPermissions.length
        ? `the app lacks ${error.missingPermissions.join(' + ')}: `
        : '';
    const detail = `not checked: ${lacking}${errorDetail(error, secrets)}`;
    return wanted.map((id) =>
      item(
        `prerequisite.${id}`,
        'prerequisites',
        'fail',
        { ...prerequisiteKeys(id, tenantId), fixKey },
        detail,
      ),
    );
  }
  return report.checks.map((check) => {
    const keys = prerequisiteKeys(check.id, tenantId);
    // A lookup Graph refused is a missing read permission, not a missing prerequisite.
    const unread = !check.passed && check.detail?.startsWith('not checked');
    // Set, but on a value Graph masks: a warning to confirm in the admin center, not a failure.
    const status = !check.passed ? 'fail' : check.unconfirmed ? 'warn' : 'pass';
    return item(
      `prerequisite.${check.id}`,
      'prerequisites',
      status,
      unread ? { ...keys, fixKey: 'readiness.fix.prerequisite.unreadable' } : keys,
      check.detail,
    );
  });
}
