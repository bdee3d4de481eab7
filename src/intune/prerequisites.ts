import type { GraphHttp } from './graphClient';
import {
  executeBatch,
  failureOf,
  type BatchAnswer,
  type BatchOptions,
  type SubResponse,
} from './graphBatch';
import type { PrerequisiteCheck, PrerequisiteId, PrerequisiteReport } from './intune';
import { eqClause, filterParameter } from './odata';
import { passcodePolicyChecks } from './passcodePolicies';

/** The two enterprise apps the seed asks an admin to consent to. */
export const PIN_RESET_SERVICE_APP_ID = 'b8456c59-1230-44c7-a4a2-99b085333e84';
export const PIN_RESET_CLIENT_APP_ID = '9115dd05-fad5-4f9c-acc7-305d08b1b04e';

const CUSTOM_CONFIGURATION_TYPE = '#microsoft.graph.windows10customconfiguration';
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
}

/**
 * Windows 10 custom profiles whose EnablePinRecovery OMA-URI (tenant id in it,
 * case-insensitive) is boolean true. Only a boolean true counts: the seed says
 * "set to True" for a boolean setting; a string "true" is reported, not accepted.
 */
export function judgeProfiles(profiles: Json[], tenantId: string): ProfileVerdict {
  const uri = enablePinRecoveryUri(tenantId).toLowerCase();
  const verdict: ProfileVerdict = { enabling: [], otherValue: [] };
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

const label = (profile: Json): string =>
  `${typeof profile.displayName === 'string' ? profile.displayName : '(unnamed)'} (${String(profile.id)})`;

function principalCheck(
  id: PrerequisiteCheck['id'],
  answer: BatchAnswer | undefined,
): PrerequisiteCheck {
  const failure = failureOf(answer);
  if (failure)
    return { id, passed: false, detail: `not checked: ${failure.status} ${failure.code}` };
  const found = list((answer as SubResponse).body)[0];
  if (!found) return { id, passed: false, detail: 'not found' };
  return {
    id,
    passed: true,
    detail: typeof found.displayName === 'string' ? found.displayName : String(found.id),
  };
}

/** The seed's four checks (Windows 10 Mobile): what `wanted` defaults to. */
export const SEED_PREREQUISITES: ReadonlySet<PrerequisiteId> = new Set([
  'pinResetServicePrincipal',
  'pinResetClientPrincipal',
  'enablePinRecoveryProfile',
  'enablePinRecoveryAssignment',
]);

/**
 * The prerequisites of the platforms in use (eligibility.ts rows name theirs): for
 * Windows 10 Mobile the seed's (both PIN reset service principals, a custom profile
 * enabling PIN recovery, and that profile assigned: two batched round trips, plus
 * paging, plus one GET per custom profile whose list entry lacked its settings); for
 * Android Enterprise and AOSP an assigned passcode policy (androidPolicies.ts).
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

async function seedChecks(
  http: GraphHttp,
  tenantId: string,
  batchOptions: BatchOptions,
): Promise<PrerequisiteCheck[]> {
  const principal = (appId: string) =>
    `/servicePrincipals?${filterParameter(eqClause('appId', appId))}&$select=id,appId,displayName`;
  const first = await executeBatch(
    http,
    'v1.0',
    [
      { id: 'service', url: principal(PIN_RESET_SERVICE_APP_ID) },
      { id: 'client', url: principal(PIN_RESET_CLIENT_APP_ID) },
      { id: 'profiles', url: '/deviceManagement/deviceConfigurations' },
    ],
    batchOptions,
  );
  const profilesAnswer = first.get('profiles');
  const profilesError = failureOf(profilesAnswer);
  if (profilesError) throw profilesError;
  const profiles = await allPages(http, (profilesAnswer as SubResponse).body);
  await fillMissingSettings(http, profiles);

  const verdict = judgeProfiles(profiles, tenantId);
  const checks: PrerequisiteCheck[] = [
    principalCheck('pinResetServicePrincipal', first.get('service')),
    principalCheck('pinResetClientPrincipal', first.get('client')),
  ];
  if (verdict.enabling.length === 0) {
    checks.push({
      id: 'enablePinRecoveryProfile',
      passed: false,
      detail: verdict.otherValue.length
        ? `not boolean true in ${verdict.otherValue.map(label).join(', ')}`
        : 'no Windows 10 custom profile sets EnablePinRecovery',
    });
    checks.push({ id: 'enablePinRecoveryAssignment', passed: false, detail: 'no profile' });
  } else {
    checks.push({
      id: 'enablePinRecoveryProfile',
      passed: true,
      detail: verdict.enabling.map(label).join(', '),
    });
    checks.push(await assignmentCheck(http, verdict.enabling, batchOptions));
  }
  return checks;
}

async function assignmentCheck(
  http: GraphHttp,
  profiles: Json[],
  batchOptions: BatchOptions,
): Promise<PrerequisiteCheck> {
  const answers = await executeBatch(
    http,
    'v1.0',
    profiles.map((p, i) => ({
      id: String(i),
      url: `/deviceManagement/deviceConfigurations/${encodeURIComponent(String(p.id))}/assignments`,
    })),
    batchOptions,
  );
  const assigned: string[] = [];
  for (const [i, profile] of profiles.entries()) {
    const answer = answers.get(String(i));
    const failure = failureOf(answer);
    if (failure) throw failure;
    const targets = includedTargets(await allPages(http, (answer as SubResponse).body));
    if (targets.length) assigned.push(`${label(profile)}: ${targets.join(', ')}`);
  }
  return assigned.length
    ? { id: 'enablePinRecoveryAssignment', passed: true, detail: assigned.join('; ') }
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
