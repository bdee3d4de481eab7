import { notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantDeviceConfiguration } from '../tenantData';
import { contextUrl, publicView } from './common';

/**
 * deviceCompliancePolicies (v1.0 and beta): policies with settings and an `assignments`
 * navigation, read like deviceConfigurations. $filter and $expand are ignored.
 */
const policies = (state: EmulatorState): TenantDeviceConfiguration[] =>
  state.tenant.deviceCompliancePolicies ?? [];

function findPolicy(state: EmulatorState, id: string): TenantDeviceConfiguration {
  const lower = id.toLowerCase();
  const policy = policies(state).find((p) => p.id.toLowerCase() === lower);
  if (!policy) throw notFound(`The device compliance policy '${id}' was not found.`);
  return policy;
}

export function listDeviceCompliancePolicies({ state, request }: HandlerContext): GraphResponse {
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(
        state,
        request.version,
        'deviceManagement/deviceCompliancePolicies',
      ),
      value: policies(state).map((p) => publicView(p, ['assignments'])),
    },
  };
}

export function getDeviceCompliancePolicy({
  state,
  request,
  params,
}: HandlerContext): GraphResponse {
  const policy = findPolicy(state, params.id ?? '');
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(
        state,
        request.version,
        'deviceManagement/deviceCompliancePolicies/$entity',
      ),
      ...publicView(policy, ['assignments']),
    },
  };
}

export function listCompliancePolicyAssignments({
  state,
  request,
  params,
}: HandlerContext): GraphResponse {
  const policy = findPolicy(state, params.id ?? '');
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(
        state,
        request.version,
        `deviceManagement/deviceCompliancePolicies('${policy.id}')/assignments`,
      ),
      value: (policy.assignments ?? []).map((a) => ({ ...a })),
    },
  };
}
