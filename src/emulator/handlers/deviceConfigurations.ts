import type { GraphVersion } from '../deviceProperties';
import { notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import {
  configurationPolicies,
  deviceConfigurationsSeen,
  omaSettingsSeen,
  plainOmaValue,
  type ConfigurationPolicy,
} from '../pinRecovery';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantDeviceConfiguration } from '../tenantData';
import {
  applySelect,
  assignmentsResponse,
  collectionResponse,
  contextUrl,
  entityResponse,
  publicView,
} from './common';

/** GET deviceConfigurations; `$expand=assignments` inlines each profile's assignments. $filter is ignored. */
export function listDeviceConfigurations({ state, request }: HandlerContext): GraphResponse {
  const expand = wantsAssignments(request.query.get('$expand'));
  const select = request.query.get('$select');
  const value = deviceConfigurationsSeen(state, request.version).map((c) =>
    applySelect(
      present(state, c, expand),
      select === null ? null : `${select},@odata.type,assignments`,
    ),
  );
  return collectionResponse(state, request.version, 'deviceManagement/deviceConfigurations', value);
}

export function getDeviceConfiguration({ state, request, params }: HandlerContext): GraphResponse {
  const config = findConfiguration(state, request.version, params.id ?? '');
  const view = present(state, config, wantsAssignments(request.query.get('$expand')));
  return entityResponse(
    state,
    request.version,
    'deviceManagement/deviceConfigurations/$entity',
    view,
  );
}

export function listAssignments({ state, request, params }: HandlerContext): GraphResponse {
  const config = findConfiguration(state, request.version, params.id ?? '');
  const fragment = `deviceManagement/deviceConfigurations('${config.id}')/assignments`;
  return assignmentsResponse(state, request.version, fragment, config.assignments);
}

/** GET deviceConfigurations/{id}/getOmaSettingPlainTextValue(secretReferenceValueId='…'). */
export function getOmaSettingPlainTextValue({
  state,
  request,
  params,
}: HandlerContext): GraphResponse {
  const config = findConfiguration(state, request.version, params.id ?? '');
  const reference = (params.reference ?? '').replace(/''/g, "'");
  const value = plainOmaValue(config, reference);
  if (value === undefined) throw notFound(`The secret reference '${reference}' was not found.`);
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, request.version, 'Edm.String'), value },
  };
}

/** The function segment, its single-quoted argument with quotes doubled inside. */
export const OMA_PLAIN_TEXT_SEGMENT =
  /^getOmaSettingPlainTextValue\(secretReferenceValueId='(?<reference>(?:[^']|'')*)'\)$/i;

/** GET /beta/deviceManagement/configurationPolicies (the Settings Catalog). $filter is ignored. */
export function listConfigurationPolicies({ state, request }: HandlerContext): GraphResponse {
  betaOnly(request.version, 'configurationPolicies');
  const value = configurationPolicies(state).map((p) => policyView(p));
  return collectionResponse(
    state,
    request.version,
    'deviceManagement/configurationPolicies',
    value,
  );
}

export function listPolicySettings({ state, request, params }: HandlerContext): GraphResponse {
  const policy = findPolicy(state, request.version, params.id ?? '');
  const fragment = `deviceManagement/configurationPolicies('${policy.id}')/settings`;
  return collectionResponse(state, request.version, fragment, policy.settings);
}

export function listPolicyAssignments({ state, request, params }: HandlerContext): GraphResponse {
  const policy = findPolicy(state, request.version, params.id ?? '');
  const fragment = `deviceManagement/configurationPolicies('${policy.id}')/assignments`;
  return assignmentsResponse(state, request.version, fragment, policy.assignments);
}

function policyView(policy: ConfigurationPolicy): Record<string, unknown> {
  const { settings: _settings, assignments: _assignments, ...view } = policy;
  return view;
}

function present(
  state: EmulatorState,
  config: TenantDeviceConfiguration,
  withAssignments: boolean,
): Record<string, unknown> {
  const view = publicView(config, ['assignments']);
  if ('omaSettings' in view) view.omaSettings = omaSettingsSeen(state, config);
  if (withAssignments) view.assignments = config.assignments ?? [];
  return view;
}

function wantsAssignments(expand: string | null): boolean {
  return (expand ?? '').split(',').some((part) => part.trim().toLowerCase() === 'assignments');
}

function findConfiguration(
  state: EmulatorState,
  version: GraphVersion,
  id: string,
): TenantDeviceConfiguration {
  const lower = id.toLowerCase();
  const config = deviceConfigurationsSeen(state, version).find((c) => c.id.toLowerCase() === lower);
  if (!config) throw notFound(`The device configuration '${id}' was not found.`);
  return config;
}

function findPolicy(state: EmulatorState, version: GraphVersion, id: string): ConfigurationPolicy {
  betaOnly(version, 'configurationPolicies');
  const lower = id.toLowerCase();
  const policy = configurationPolicies(state).find((p) => p.id.toLowerCase() === lower);
  if (!policy) throw notFound(`The configuration policy '${id}' was not found.`);
  return policy;
}

/** configurationPolicies exist in beta only: v1.0 does not know the segment. */
function betaOnly(version: GraphVersion, segment: string): void {
  if (version !== 'beta') throw notFound(`Resource not found for the segment '${segment}'.`);
}
