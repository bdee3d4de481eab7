import type { GraphHttp } from './graphClient';
import {
  executeBatch,
  failureOf,
  type BatchAnswer,
  type BatchOptions,
  type SubResponse,
} from './graphBatch';
import {
  IntuneError,
  type PinRecoverySource,
  type PrerequisiteCheck,
  type PrerequisiteId,
  type PrerequisiteReport,
} from '../domain/ports';
import { eqClause, filterParameter } from './odata';
import { passcodePolicyChecks } from './passcodePolicies';

/** The two enterprise apps the seed asks an admin to consent to. */
export const PIN_RESET_SERVICE_APP_ID = 'b8456c59-1230-44c7-a4a2-99b085333e84';
export const PIN_RESET_CLIENT_APP_ID = '9115dd05-fad5-4f9c-acc7-305d08b1b04e';

const CUSTOM_CONFIGURATION_TYPE = '#microsoft.graph.windows10customconfiguration';
/** Beta only (Graph beta reference "windowsIdentityProtectionConfiguration resource type"). */
const IDENTITY_PROTECTION_TYPE = '#microsoft.graph.windowsidentityprotectionconfiguration';
type BatchAnswers = Map<string, BatchAnswer>;
const INCLUDE_TARGETS: Record<string, string> = {
  '#microsoft.graph.groupassignmenttarget': 'group',
  '#microsoft.graph.alldevicesassignmenttarget': 'allDevices',
  '#microsoft.graph.alllicensedusersassignmenttarget': 'allLicensedUsers',
  '#microsoft.graph.configurationmanagercollectionassignmenttarget':
    'configurationManagerCollection',
};
const MAX_PAGES = 50;

type Json = Record<string, unknown>;

export function enablePinRecoveryUri(tenantId: string): string {
  return `./Device/Vendor/MSFT/PassportForWork/${tenantId}/Policies/EnablePinRecovery`;
}

const typeOf = (o: Json): string =>
  typeof o['@odata.type'] === 'string' ? o['@odata.type'].toLowerCase() : '';
const list = (body: unknown): Json[] => {
  const value = (body as Json | undefined)?.value;
  return Array.isArray(value) ? value.filter((v): v is Json => !!v && typeof v === 'object') : [];
};

export interface ProfileVerdict {
  /** Profiles with the OMA-URI set to boolean true. */
  enabling: Json[];
  /** Profiles with the OMA-URI but another value (detail for the technician). */
  otherValue: Json[];
  /** Profiles with the OMA-URI whose value Graph masks ("****", isEncrypted): set, value hidden. */
  masked: Json[];
}

/**
 * A secret OMA value comes back as "****" with isEncrypted: true (the value is then read
 * with getOmaSettingPlainTextValue, which needs DeviceManagementConfiguration.ReadWrite.All:
 * Graph reference "getOmaSettingPlainTextValue function").
 */
export const isMaskedOmaSetting = (setting: Json): boolean =>
  setting.isEncrypted === true || setting.value === '****';

/**
 * Windows 10 custom profiles whose EnablePinRecovery OMA-URI (tenant id in it,
 * case-insensitive) is boolean true. Only a boolean true counts: the seed says
 * "set to True" for a boolean setting; a string "true" is reported, not accepted.
 */
export function judgeProfiles(profiles: Json[], tenantId: string): ProfileVerdict {
  const uri = enablePinRecoveryUri(tenantId).toLowerCase();
  const verdict: ProfileVerdict = { enabling: [], otherValue: [], masked: [] };
  for (const profile of profiles) {
    if (typeOf(profile) !== CUSTOM_CONFIGURATION_TYPE || !Array.isArray(profile.omaSettings))
      continue;
    const settings = (profile.omaSettings as unknown[]).filter(
      (s): s is Json =>
        !!s &&
        typeof s === 'object' &&
        String((s as Json).omaUri ?? '')
          .trim()
          .toLowerCase() === uri,
    );
    if (settings.some((s) => s.value === true)) verdict.enabling.push(profile);
    else if (settings.some(isMaskedOmaSetting)) verdict.masked.push(profile);
    else if (settings.length > 0) verdict.otherValue.push(profile);
  }
  return verdict;
}

/** What an assignment list includes (exclusions never count). */
export function includedTargets(assignments: Json[]): string[] {
  const included: string[] = [];
  for (const assignment of assignments) {
    const target = assignment.target as Json | undefined;
    if (!target || typeof target !== 'object') continue;
    const kind = INCLUDE_TARGETS[typeOf(target)];
    if (kind === 'group' || kind === 'configurationManagerCollection') {
      const id = target.groupId ?? target.collectionId;
      if (typeof id === 'string' && id) included.push(id);
    } else if (kind) {
      included.push(kind);
    }
  }
  return included;
}

/** A profile's displayName, or a Settings Catalog policy's name, with its id. */
const label = (profile: Json): string => {
  const name = profile.displayName ?? profile.name;
  return `${typeof name === 'string' ? name : '(unnamed)'} (${String(profile.id)})`;
};

function principalCheck(
  id: PrerequisiteCheck['id'],
  answer: BatchAnswer | undefined,
): PrerequisiteCheck {
  const failure = failureOf(answer);
  if (failure) {
    // The directory's 403 (Authorization_RequestDenied) names no permission: "List servicePrincipals" needs this one.
    const lacks = failure.isForbidden ? ', the app lacks Application.Read.All' : '';
    return { id, passed: false, detail: `not checked: ${failure.status} ${failure.code}${lacks}` };
  }
  const found = list((answer as SubResponse).body)[0];
  if (!found) return { id, passed: false, detail: 'not found' };
  return {
    id,
    passed: true,
    detail: typeof found.displayName === 'string' ? found.displayName : String(found.id),
  };
}

/** Where PIN recovery was found turned on, and how to read who it is assigned to. */
interface PinRecoveryFinding {
  source: PinRecoverySource;
  label: string;
  /** The value is masked and could not be read: "set, value hidden". */
  hidden?: boolean;
  version: 'v1.0' | 'beta';
  assignmentsPath: string;
}

const SOURCE_NAMES: Record<PinRecoverySource, string> = {
  customProfile: 'Windows 10 custom profile',
  settingsCatalog: 'Settings Catalog policy',
  identityProtection: 'Identity Protection profile',
};

const describeFinding = (f: PinRecoveryFinding): string =>
  `${SOURCE_NAMES[f.source]} ${f.label}${f.hidden ? ': set, value hidden' : ''}`;

/** The seed's four checks (Windows 10 Mobile): what `wanted` defaults to. */
export const SEED_PREREQUISITES: ReadonlySet<PrerequisiteId> = new Set([
  'pinResetServicePrincipal',
  'pinResetClientPrincipal',
  'enablePinRecoveryProfile',
  'enablePinRecoveryAssignment',
]);

/**
 * The prerequisites of the platforms in use (`wanted`; eligibility.ts rows name theirs):
 * Windows 10 Mobile's (below) and, for Android Enterprise and AOSP, an assigned passcode
 * policy (passcodePolicies.ts).
 */
export async function checkPrerequisites(
  http: GraphHttp,
  tenantId: string,
  batchOptions: BatchOptions = {},
  wanted: ReadonlySet<PrerequisiteId> = SEED_PREREQUISITES,
): Promise<PrerequisiteReport> {
  const checks = [...SEED_PREREQUISITES].some((id) => wanted.has(id))
    ? await seedChecks(http, tenantId, batchOptions)
    : [];
  checks.push(...(await passcodePolicyChecks(http, wanted, batchOptions)));
  return { tenantId, checks, allPassed: checks.every((c) => c.passed) };
}

/**
 * The seed's tenant prerequisites: both PIN reset service principals, PIN recovery turned
 * on, and that assigned. PIN recovery counts when any of these turns it on: the seed's
 * Windows 10 custom profile (OMA-URI, v1.0), a Settings Catalog policy (beta
 * configurationPolicies, setting ..._policies_enablepinrecovery true) or an Identity
 * Protection profile (beta windowsIdentityProtectionConfiguration, pinRecoveryEnabled).
 * The beta reads are extra detail: when they fail the check goes on with the v1.0 one.
 */
async function seedChecks(
  http: GraphHttp,
  tenantId: string,
  batchOptions: BatchOptions,
): Promise<PrerequisiteCheck[]> {
  const principal = (appId: string) =>
    `/servicePrincipals?${filterParameter(eqClause('appId', appId))}&$select=id,appId,displayName`;
  const [first, beta] = await Promise.all([
    executeBatch(
      http,
      'v1.0',
      [
        { id: 'service', url: principal(PIN_RESET_SERVICE_APP_ID) },
        { id: 'client', url: principal(PIN_RESET_CLIENT_APP_ID) },
        { id: 'profiles', url: '/deviceManagement/deviceConfigurations' },
      ],
      batchOptions,
    ),
    executeBatch(
      http,
      'beta',
      [
        { id: 'identity', url: '/deviceManagement/deviceConfigurations' },
        { id: 'policies', url: '/deviceManagement/configurationPolicies' },
      ],
      batchOptions,
    ).catch((error: unknown) => error),
  ]);
  const profilesAnswer = first.get('profiles');
  const profilesError = failureOf(profilesAnswer);
  if (profilesError) throw profilesError;
  const profiles = await allPages(http, (profilesAnswer as SubResponse).body);
  await fillMissingSettings(http, profiles);

  const verdict = judgeProfiles(profiles, tenantId);
  const unread: string[] = [];
  const findings: PinRecoveryFinding[] = [
    ...verdict.enabling.map((p) => customFinding(p)),
    ...(await resolveMasked(http, verdict.masked, tenantId)),
    ...(await betaFindings(http, beta, tenantId, batchOptions, unread)),
  ];
  const checks: PrerequisiteCheck[] = [
    principalCheck('pinResetServicePrincipal', first.get('service')),
    principalCheck('pinResetClientPrincipal', first.get('client')),
  ];
  const notChecked = unread.length ? `; not checked: ${unread.join(', ')}` : '';
  if (findings.length === 0) {
    const otherValue = verdict.otherValue;
    checks.push({
      id: 'enablePinRecoveryProfile',
      passed: false,
      detail:
        (otherValue.length
          ? `not boolean true in ${otherValue.map(label).join(', ')}`
          : 'no custom profile, Settings Catalog policy or Identity Protection profile turns on PIN recovery') +
        notChecked,
    });
    checks.push({ id: 'enablePinRecoveryAssignment', passed: false, detail: 'no profile' });
  } else {
    const sources = [...new Set(findings.map((f) => f.source))];
    const confirmed = findings.some((f) => !f.hidden);
    checks.push({
      id: 'enablePinRecoveryProfile',
      passed: true,
      detail: findings.map(describeFinding).join(', '),
      sources,
      ...(confirmed ? {} : { unconfirmed: true }),
    });
    checks.push(await assignmentCheck(http, findings, batchOptions));
  }
  return checks;
}

const customFinding = (profile: Json, hidden = false): PinRecoveryFinding => ({
  source: 'customProfile',
  label: label(profile),
  ...(hidden ? { hidden } : {}),
  version: 'v1.0',
  assignmentsPath: `/deviceManagement/deviceConfigurations/${encodeURIComponent(String(profile.id))}/assignments`,
});

/**
 * Masked OMA values, read with getOmaSettingPlainTextValue where the app may (it needs
 * DeviceManagementConfiguration.ReadWrite.All, which the bot does not ask for): "true" is
 * on, "false" is off, and anything unreadable is "set, value hidden", never "not set".
 */
async function resolveMasked(
  http: GraphHttp,
  profiles: Json[],
  tenantId: string,
): Promise<PinRecoveryFinding[]> {
  const uri = enablePinRecoveryUri(tenantId).toLowerCase();
  const found: PinRecoveryFinding[] = [];
  for (const profile of profiles) {
    const setting = (profile.omaSettings as Json[]).find(
      (s) =>
        String(s.omaUri ?? '')
          .trim()
          .toLowerCase() === uri && isMaskedOmaSetting(s),
    );
    const reference = setting?.secretReferenceValueId;
    let plain: unknown;
    if (typeof reference === 'string' && reference) {
      try {
        const answer = await http.get<Json>(
          'v1.0',
          `/deviceManagement/deviceConfigurations/${encodeURIComponent(String(profile.id))}/getOmaSettingPlainTextValue(secretReferenceValueId='${encodeURIComponent(reference.replace(/'/g, "''"))}')`,
        );
        plain = answer?.value;
      } catch (error) {
        if (!(error instanceof IntuneError)) throw error;
      }
    }
    if (typeof plain === 'string' && plain.trim().toLowerCase() === 'false') continue;
    found.push(
      customFinding(profile, !(typeof plain === 'string' && plain.trim().toLowerCase() === 'true')),
    );
  }
  return found;
}

/** Identity Protection profiles and Settings Catalog policies (beta) that turn PIN recovery on. */
async function betaFindings(
  http: GraphHttp,
  beta: unknown,
  tenantId: string,
  batchOptions: BatchOptions,
  unread: string[],
): Promise<PinRecoveryFinding[]> {
  if (!(beta instanceof Map)) {
    unread.push(`beta (${beta instanceof IntuneError ? `${beta.status} ${beta.code}` : 'failed'})`);
    return [];
  }
  const answers = beta as BatchAnswers;
  const found: PinRecoveryFinding[] = [];
  const identity = answers.get('identity');
  const identityError = failureOf(identity);
  if (identityError)
    unread.push(`Identity Protection (${identityError.status} ${identityError.code})`);
  else {
    for (const profile of await allPages(http, (identity as SubResponse).body)) {
      if (typeOf(profile) === IDENTITY_PROTECTION_TYPE && profile.pinRecoveryEnabled === true) {
        found.push({
          source: 'identityProtection',
          label: label(profile),
          version: 'beta',
          assignmentsPath: `/deviceManagement/deviceConfigurations/${encodeURIComponent(String(profile.id))}/assignments`,
        });
      }
    }
  }
  const policies = answers.get('policies');
  const policiesError = failureOf(policies);
  if (policiesError)
    unread.push(`Settings Catalog (${policiesError.status} ${policiesError.code})`);
  else {
    const windows = (await allPages(http, (policies as SubResponse).body)).filter((p) =>
      String(p.platforms ?? 'windows10')
        .toLowerCase()
        .includes('windows10'),
    );
    const settings = await executeBatch(
      http,
      'beta',
      windows.map((p, i) => ({
        id: String(i),
        url: `/deviceManagement/configurationPolicies/${encodeURIComponent(String(p.id))}/settings`,
      })),
      batchOptions,
    );
    for (const [i, policy] of windows.entries()) {
      const answer = settings.get(String(i));
      const failure = failureOf(answer);
      if (failure) {
        unread.push(`Settings Catalog ${label(policy)} (${failure.status} ${failure.code})`);
        continue;
      }
      if (settingsEnablePinRecovery(await allPages(http, (answer as SubResponse).body), tenantId)) {
        found.push({
          source: 'settingsCatalog',
          label: label(policy),
          version: 'beta',
          assignmentsPath: `/deviceManagement/configurationPolicies/${encodeURIComponent(String(policy.id))}/assignments`,
        });
      }
    }
  }
  return found;
}

/**
 * True when a Settings Catalog policy's settings hold
 * (device|user)_vendor_msft_passportforwork_{tenantid}_policies_enablepinrecovery chosen
 * as ..._true, anywhere in the setting tree (it is a child of the PassportForWork group).
 * The definition id keeps the literal "{tenantid}" placeholder; the tenant's own id is accepted too.
 */
export function settingsEnablePinRecovery(settings: unknown[], tenantId: string): boolean {
  const tenant = `(\\{tenantid\\}|${tenantId.toLowerCase().replace(/[^0-9a-f-]/g, '')})`;
  const definition = new RegExp(
    `^(device|user)_vendor_msft_passportforwork_${tenant}_policies_enablepinrecovery$`,
    'i',
  );
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(visit);
    if (!node || typeof node !== 'object') return false;
    const o = node as Json;
    if (typeof o.settingDefinitionId === 'string' && definition.test(o.settingDefinitionId)) {
      const value = (o.choiceSettingValue as Json | undefined)?.value;
      if (typeof value === 'string' && /_true$/i.test(value)) return true;
    }
    return Object.values(o).some(visit);
  };
  return visit(settings);
}

async function assignmentCheck(
  http: GraphHttp,
  findings: PinRecoveryFinding[],
  batchOptions: BatchOptions,
): Promise<PrerequisiteCheck> {
  const assigned: string[] = [];
  const sources = new Set<PinRecoverySource>();
  for (const version of ['v1.0', 'beta'] as const) {
    const mine = findings.filter((f) => f.version === version);
    if (mine.length === 0) continue;
    const answers = await executeBatch(
      http,
      version,
      mine.map((f, i) => ({ id: String(i), url: f.assignmentsPath })),
      batchOptions,
    );
    for (const [i, finding] of mine.entries()) {
      const answer = answers.get(String(i));
      const failure = failureOf(answer);
      if (failure) throw failure;
      const targets = includedTargets(await allPages(http, (answer as SubResponse).body));
      if (targets.length) {
        assigned.push(`${finding.label}: ${targets.join(', ')}`);
        sources.add(finding.source);
      }
    }
  }
  return assigned.length
    ? {
        id: 'enablePinRecoveryAssignment',
        passed: true,
        detail: assigned.join('; '),
        sources: [...sources],
      }
    : {
        id: 'enablePinRecoveryAssignment',
        passed: false,
        detail: 'not assigned to any group, all devices or all users',
      };
}

/** Every item of a collection, following @odata.nextLink from the first page's body. */
export async function allPages(http: GraphHttp, firstBody: unknown): Promise<Json[]> {
  const items = list(firstBody);
  let next = (firstBody as Json | undefined)?.['@odata.nextLink'];
  for (let page = 1; typeof next === 'string' && page < MAX_PAGES; page++) {
    const body = await http.getAbsolute<Json>(next);
    items.push(...list(body));
    next = body?.['@odata.nextLink'];
  }
  return items;
}

/** Some list answers leave out omaSettings; read those profiles one by one. */
async function fillMissingSettings(http: GraphHttp, profiles: Json[]): Promise<void> {
  for (const profile of profiles) {
    if (typeOf(profile) !== CUSTOM_CONFIGURATION_TYPE || Array.isArray(profile.omaSettings))
      continue;
    const full = await http.get<Json>(
      'v1.0',
      `/deviceManagement/deviceConfigurations/${encodeURIComponent(String(profile.id))}`,
    );
    profile.omaSettings = full?.omaSettings;
  }
}
