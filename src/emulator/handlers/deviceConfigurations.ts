import { notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantDeviceConfiguration } from '../tenantData';
import { applySelect, contextUrl, publicView } from './common';

/**
 * deviceConfigurations and deviceCompliancePolicies: both are lists of policies with
 * an `assignments` navigation, read the same way. `$expand=assignments` inlines each
 * policy's assignments. $filter is ignored.
 */
type PolicyCollection = 'deviceConfigurations' | 'deviceCompliancePolicies';

const policiesOf = (state: EmulatorState, collection: PolicyCollection) =>
  state.tenant[collection] ?? [];

function policyHandlers(collection: PolicyCollection, what: string) {
  const find = (state: EmulatorState, id: string): TenantDeviceConfiguration => {
    const lower = id.toLowerCase();
    const policy = policiesOf(state, collection).find((c) => c.id.toLowerCase() === lower);
    if (!policy) throw notFound(`The ${what} '${id}' was not found.`);
    return policy;
  };
  return {
    list({ state, request }: HandlerContext): GraphResponse {
      const expand = wantsAssignments(request.query.get('$expand'));
      const select = request.query.get('$select');
      const value = policiesOf(state, collection).map((c) =>
        applySelect(
          present(c, expand),
          select === null ? null : `${select},@odata.type,assignments`,
        ),
      );
      return {
        status: 200,
        body: {
          '@odata.context': contextUrl(state, request.version, `deviceManagement/${collection}`),
          value,
        },
      };
    },
    get({ state, request, params }: HandlerContext): GraphResponse {
      const policy = find(state, params.id ?? '');
      const body = {
        '@odata.context': contextUrl(
          state,
          request.version,
          `deviceManagement/${collection}/$entity`,
        ),
        ...present(policy, wantsAssignments(request.query.get('$expand'))),
      };
      return { status: 200, body };
    },
    assignments({ state, request, params }: HandlerContext): GraphResponse {
      const policy = find(state, params.id ?? '');
      return {
        status: 200,
        body: {
          '@odata.context': contextUrl(
            state,
            request.version,
            `deviceManagement/${collection}('${policy.id}')/assignments`,
          ),
          value: (policy.assignments ?? []).map((a) => ({ ...a })),
        },
      };
    },
  };
}

const configurations = policyHandlers('deviceConfigurations', 'device configuration');
export const listDeviceConfigurations = configurations.list;
export const getDeviceConfiguration = configurations.get;
export const listAssignments = configurations.assignments;

const compliance = policyHandlers('deviceCompliancePolicies', 'device compliance policy');
export const listDeviceCompliancePolicies = compliance.list;
export const getDeviceCompliancePolicy = compliance.get;
export const listCompliancePolicyAssignments = compliance.assignments;

function present(
  config: TenantDeviceConfiguration,
  withAssignments: boolean,
): Record<string, unknown> {
  const view = publicView(config, ['assignments']);
  if (withAssignments) view.assignments = config.assignments ?? [];
  return view;
}

function wantsAssignments(expand: string | null): boolean {
  return (expand ?? '').split(',').some((part) => part.trim().toLowerCase() === 'assignments');
}
