import { isLoopbackUrl, type Config } from '../config';
import type { TokenSource } from '../intune/credentials';
import { grantedPermissions, type GrantedPermissions } from '../intune/grantedPermissions';
import { enabledPlatforms, prerequisitesOf } from '../domain/desk';
import type { Intune, PrerequisiteId } from '../domain/ports';
import { botRegistrationItem, type BotAppSettings, type BotCredentialFactory } from './botCheck';
import { errorDetail } from './errorDetail';
import {
  graphFixKey,
  graphReachable,
  graphSkipped,
  graphUnusable,
  prerequisiteItems,
  prerequisitesNotChecked,
} from './graphChecks';
import { permissionItems, type PermissionsUnread } from './permissionChecks';
import { summarize, type ReadinessItem, type ReadinessReport } from './report';
import { storageItems, type DocumentsSource, type StorageSettings } from './storageChecks';

export type ReadinessConfig = Pick<
  Config,
  | 'GRAPH_BASE_URL'
  | 'GRAPH_AUTH'
  | 'AZURE_TENANT_ID'
  | 'AZURE_CLIENT_SECRET'
  | 'AZURE_STORAGE_CONNECTION_STRING'
  | 'HELPDESK_GROUP_IDS'
  | 'ADMIN_GROUP_IDS'
> &
  Partial<Pick<Config, 'RESET_PLATFORMS'>> &
  StorageSettings &
  BotAppSettings;

export interface ReadinessDeps {
  config: ReadinessConfig;
  /**
   * Intune as the bot calls it. Omitted when Graph cannot be called from here: in
   * delegated mode without a technician's token, or when `graphError` says why not.
   */
  intune?: Intune;
  /** The token source behind `intune`, to read the permissions granted (roles or scp). */
  tokenSource?: TokenSource;
  /** Why no Intune could be built (e.g. the Graph credential failed); reported as a failure. */
  graphError?: unknown;
  /** The asking technician's tenant, used when AZURE_TENANT_ID is empty. */
  tenantId?: string;
  /** The store to probe, or how to open it (it is then closed again). */
  documents: DocumentsSource;
  /** How the bot's Bot Framework credential is built (tests inject one). */
  botCredential?: BotCredentialFactory;
  /** Deadline of each check. Default 20 s. */
  timeoutMs?: number;
  /**
   * Leave out the tenant's PIN reset prerequisites: `check setup` gets those from the
   * desk (authorized and audited) and asks here only for the rest.
   */
  skipPrerequisites?: boolean;
  now?: () => Date;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** The prerequisites of the platforms served (RESET_PLATFORMS rows, eligibility.ts). */
const wantedPrerequisites = (config: ReadinessConfig): PrerequisiteId[] => [
  ...prerequisitesOf(enabledPlatforms(config)),
];

interface GraphArea {
  items: ReadinessItem[];
  permissionSource: ReadinessReport['permissionSource'];
  tenantId?: string;
}

async function readPermissions(
  deps: ReadinessDeps,
  secrets: readonly (string | undefined)[],
): Promise<GrantedPermissions | PermissionsUnread> {
  if (!deps.tokenSource) return { reason: 'notProvided' };
  try {
    return await grantedPermissions(deps.tokenSource, deps.config.GRAPH_BASE_URL);
  } catch (error) {
    return { reason: 'noToken', detail: errorDetail(error, secrets) };
  }
}

async function graphArea(
  deps: ReadinessDeps,
  timeoutMs: number,
  secrets: readonly (string | undefined)[],
): Promise<GraphArea> {
  const { config } = deps;
  const baseUrl = config.GRAPH_BASE_URL;
  const groupsConfigured = config.HELPDESK_GROUP_IDS.length + config.ADMIN_GROUP_IDS.length > 0;
  const configuredTenant = config.AZURE_TENANT_ID ?? deps.tenantId;
  const loopbackGraph = isLoopbackUrl(baseUrl);

  if (!deps.intune) {
    const delegated = deps.graphError === undefined && config.GRAPH_AUTH === 'delegated';
    const why = errorDetail(deps.graphError ?? 'no Graph client was given', secrets);
    const detail = delegated
      ? "delegated mode: Graph is called with each technician's own token"
      : why;
    const reachable = delegated
      ? graphSkipped(baseUrl, detail, 'readiness.fix.graph.delegated')
      : { ...graphSkipped(baseUrl, detail, graphFixKey(deps.graphError)), status: 'fail' as const };
    return {
      items: [
        reachable,
        ...permissionItems(
          delegated ? { reason: 'delegatedWithoutUser' } : { reason: 'noToken', detail: why },
          groupsConfigured,
          config.GRAPH_AUTH,
          loopbackGraph,
        ),
        ...(deps.skipPrerequisites
          ? []
          : prerequisitesNotChecked(
              configuredTenant,
              'skip',
              detail,
              reachable.fixKey,
              wantedPrerequisites(config),
            )),
      ],
      permissionSource: 'none',
      ...(configuredTenant ? { tenantId: configuredTenant } : {}),
    };
  }

  const [reach, evidence] = await Promise.all([
    graphReachable(deps.intune, baseUrl, timeoutMs, secrets),
    readPermissions(deps, secrets),
  ]);
  const permissions = permissionItems(evidence, groupsConfigured, config.GRAPH_AUTH, loopbackGraph);
  const tenantId = configuredTenant ?? ('tenantId' in evidence ? evidence.tenantId : undefined);
  let prerequisites: ReadinessItem[];
  if (deps.skipPrerequisites) {
    prerequisites = [];
  } else if (reach.error !== undefined && graphUnusable(reach.error)) {
    prerequisites = prerequisitesNotChecked(
      tenantId,
      'skip',
      'Graph cannot be used (see graph.reachable)',
      graphFixKey(reach.error),
      wantedPrerequisites(config),
    );
  } else if (!tenantId) {
    // Not a failure of the tenant, but nobody can know it is ready: say how to check it.
    prerequisites = prerequisitesNotChecked(
      undefined,
      'warn',
      'not checked: tenant unknown, AZURE_TENANT_ID is empty',
      'readiness.fix.tenantId',
      wantedPrerequisites(config),
    );
  } else {
    prerequisites = await prerequisiteItems(
      deps.intune,
      tenantId,
      timeoutMs,
      secrets,
      wantedPrerequisites(config),
    );
  }
  return {
    items: [reach.item, ...permissions, ...prerequisites],
    permissionSource: 'kind' in evidence ? evidence.kind : 'none',
    ...(tenantId ? { tenantId } : {}),
  };
}

/**
 * Is this deployment ready for a real tenant? Graph reachable, the permissions its token
 * holds, the tenant's PIN reset prerequisites, storage, and the bot registration; each
 * item with the key of its fix. Never throws for a failing dependency: that is an item.
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const checkedAt = (deps.now ?? (() => new Date()))().toISOString();
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { config } = deps;
  const secrets = [
    config.AZURE_CLIENT_SECRET,
    config.MicrosoftAppPassword,
    config.AZURE_STORAGE_CONNECTION_STRING,
  ];
  const [graph, storage, bot] = await Promise.all([
    graphArea(deps, timeoutMs, secrets),
    storageItems(deps.documents, config, timeoutMs, secrets),
    botRegistrationItem(config, timeoutMs, deps.botCredential),
  ]);
  return summarize(checkedAt, [...graph.items, ...storage, bot], {
    permissionSource: graph.permissionSource,
    tenantId: graph.tenantId,
  });
}
