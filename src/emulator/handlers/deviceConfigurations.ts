import { notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { TenantDeviceConfiguration } from '../tenantData';
import { applySelect, contextUrl, publicView } from './common';

/** GET deviceConfigurations; `$expand=assignments` inlines each profile's assignments. $filter is ignored. */
export function listDeviceConfigurations({ state, request }: HandlerContext): GraphResponse {
  const expand = wantsAssignments(request.query.get('$expand'));
  const select = request.query.get('$select');
  const value = state.tenant.deviceConfigurations.map((c) =>
    applySelect(present(c, expand), select === null ? null : `${select},@odata.type,assignments`),
  );
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(state, request.version, 'deviceManagement/deviceConfigurations'),
      value,
    },
  };
}

export function getDeviceConfiguration({ state, request, params }: HandlerContext): GraphResponse {
  const config = findConfiguration(state, params.id ?? '');
  const body = {
    '@odata.context': contextUrl(
      state,
      request.version,
      'deviceManagement/deviceConfigurations/$entity',
    ),
    ...present(config, wantsAssignments(request.query.get('$expand'))),
  };
  return { status: 200, body };
}

export function listAssignments({ state, request, params }: HandlerContext): GraphResponse {
  const config = findConfiguration(state, params.id ?? '');
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(
        state,
        request.version,
        `deviceManagement/deviceConfigurations('${config.id}')/assignments`,
      ),
      value: (config.assignments ?? []).map((a) => ({ ...a })),
    },
  };
}

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

function findConfiguration(state: EmulatorState, id: string): TenantDeviceConfiguration {
  const lower = id.toLowerCase();
  const config = state.tenant.deviceConfigurations.find((c) => c.id.toLowerCase() === lower);
  if (!config) throw notFound(`The device configuration '${id}' was not found.`);
  return config;
}
