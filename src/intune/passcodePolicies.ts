import type { GraphHttp } from './graphClient';
import {
  executeBatch,
  failureOf,
  type BatchOptions,
  type BatchStep,
  type SubResponse,
} from './graphBatch';
import type { PrerequisiteCheck, PrerequisiteId } from '../domain/ports';
import { allPages, includedTargets } from './prerequisites';

type Json = Record<string, unknown>;
type PolicyCheckId = Extract<
  PrerequisiteId,
  'androidEnterprisePasscodePolicy' | 'aospPasscodePolicy'
>;

/**
 * Android Enterprise and AOSP resets fail unless a passcode policy applies to the device:
 * "Before initiating a passcode reset, ensure that the passcode requirement is enforced
 * via device configuration policies, otherwise, the reset fails" (Intune "Remote device
 * action: reset passcode", 2025). A policy is either a device restrictions profile
 * (deviceConfigurations) or a compliance policy (deviceCompliancePolicies), read from
 * beta: the Android device owner and AOSP types are beta types.
 */
const POLICY_TYPES: Record<PolicyCheckId, readonly string[]> = {
  androidEnterprisePasscodePolicy: [
    '#microsoft.graph.androiddeviceownergeneraldeviceconfiguration',
    '#microsoft.graph.androidworkprofilegeneraldeviceconfiguration',
    '#microsoft.graph.androiddeviceownercompliancepolicy',
    '#microsoft.graph.androidworkprofilecompliancepolicy',
  ],
  aospPasscodePolicy: [
    '#microsoft.graph.aospdeviceownerdeviceconfiguration',
    '#microsoft.graph.aospdeviceownercompliancepolicy',
  ],
};
const COLLECTIONS = ['deviceConfigurations', 'deviceCompliancePolicies'] as const;

const typeOf = (o: Json): string =>
  typeof o['@odata.type'] === 'string' ? o['@odata.type'].toLowerCase() : '';
const label = (policy: Json): string =>
  `${typeof policy.displayName === 'string' ? policy.displayName : '(unnamed)'} (${String(policy.id)})`;

/**
 * A passcode is required when passwordRequired is true (compliance) or a
 * (workProfile)passwordRequiredType is set to anything but deviceDefault (Graph's
 * androidDeviceOwnerRequiredPasswordType / androidWorkProfileRequiredPasswordType).
 */
export function requiresPasscode(policy: Json): boolean {
  return ['passwordRequired', 'passwordRequiredType', 'workProfilePasswordRequiredType'].some(
    (name) => {
      const value = policy[name];
      return (
        value === true || (typeof value === 'string' && value.toLowerCase() !== 'devicedefault')
      );
    },
  );
}

/** One check per wanted passcode-policy prerequisite: a policy requiring a passcode, assigned. */
export async function passcodePolicyChecks(
  http: GraphHttp,
  wanted: ReadonlySet<PrerequisiteId>,
  batchOptions: BatchOptions,
): Promise<PrerequisiteCheck[]> {
  const ids = (Object.keys(POLICY_TYPES) as PolicyCheckId[]).filter((id) => wanted.has(id));
  if (ids.length === 0) return [];
  const lists = await executeBatch(
    http,
    'beta',
    COLLECTIONS.map((collection) => ({ id: collection, url: `/deviceManagement/${collection}` })),
    batchOptions,
  );
  const policies: Array<{ collection: string; policy: Json }> = [];
  for (const collection of COLLECTIONS) {
    const answer = lists.get(collection);
    const failure = failureOf(answer);
    if (failure) throw failure;
    for (const policy of await allPages(http, (answer as SubResponse).body)) {
      policies.push({ collection, policy });
    }
  }
  const candidates = policies.filter(
    ({ policy }) =>
      ids.some((id) => POLICY_TYPES[id].includes(typeOf(policy))) && requiresPasscode(policy),
  );
  const steps: BatchStep[] = candidates.map(({ collection, policy }, i) => ({
    id: String(i),
    url: `/deviceManagement/${collection}/${encodeURIComponent(String(policy.id))}/assignments`,
  }));
  const assignments = steps.length
    ? await executeBatch(http, 'beta', steps, batchOptions)
    : undefined;
  const assigned: Array<{ policy: Json; targets: string[] }> = [];
  for (const [i, { policy }] of candidates.entries()) {
    const answer = assignments?.get(String(i));
    const failure = failureOf(answer);
    if (failure) throw failure;
    assigned.push({
      policy,
      targets: includedTargets(await allPages(http, (answer as SubResponse).body)),
    });
  }

  return ids.map((id): PrerequisiteCheck => {
    const ofType = assigned.filter(({ policy }) => POLICY_TYPES[id].includes(typeOf(policy)));
    const inUse = ofType.filter(({ targets }) => targets.length > 0);
    if (inUse.length > 0) {
      return {
        id,
        passed: true,
        detail: inUse
          .map(({ policy, targets }) => `${label(policy)}: ${targets.join(', ')}`)
          .join('; '),
      };
    }
    return {
      id,
      passed: false,
      detail: ofType.length
        ? `not assigned: ${ofType.map(({ policy }) => label(policy)).join(', ')}`
        : 'no policy requires a passcode',
    };
  });
}
