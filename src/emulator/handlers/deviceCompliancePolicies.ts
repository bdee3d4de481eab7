import { notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantDeviceConfiguration } from '../tenantData';
import { assignmentsResponse, collectionResponse, entityResponse, publicView } from './common';

/**
 * deviceCompliancePolicies (v1.0 and beta): policies with settings and an `assignments`
 * navigation, read like deviceConfigurations. $filter and $expand are ignored.
 */
const POLICIES = 'deviceManagement/deviceCompliancePolicies';

const policies = (state: EmulatorState): TenantDeviceConfiguration[] =>
  state.tenant.deviceCompliancePolicies ?? [];

function findPolicy(state: EmulatorState, id: string): TenantDeviceConfiguration {
  const lower = id.toLowerCase();
  const policy = policies(state).find((p) => p.id.toLowerCase() === lower);
  if (!policy) throw notFound(`The device compliance policy '${id}' was not found.`);
  return policy;
}

export function listDeviceCompliancePolicies({ state, request }: HandlerContext): GraphResponse {
  const value = policies(state).map((p) => publicView(p, ['assignments']));
  return collectionResponse(state, request.version, POLICIES, value);
}

export function getDeviceCompliancePolicy({
  state,
  request,
  params,
}: HandlerContext): GraphResponse {
  const policy = findPolicy(state, params.id ?? '');
  const view = publicView(policy, ['assignments']);
  return entityResponse(state, request.version, `${POLICIES}/$entity`, view);
}

export function listCompliancePolicyAssignments({
  state,
  request,
  params,
}: HandlerContext): GraphResponse {
  const policy = findPolicy(state, params.id ?? '');
  const fragment = `${POLICIES}('${policy.id}')/assignments`;
  return assignmentsResponse(state, request.version, fragment, policy.assignments);
}
