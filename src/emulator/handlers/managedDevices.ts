import { compileDeviceFilter, type DeviceFilterPlan } from '../deviceFilter';
import { platformOutcome } from '../platformOutcomes';
import {
  canonicalDeviceProperty,
  defaultDeviceValue,
  deviceProperties,
  type GraphVersion,
} from '../deviceProperties';
import { findDevicePage } from '../deviceQuery';
import { badRequest, notFound } from '../graphError';
import type { GraphResponse } from '../graphRequest';
import type { HandlerContext } from '../router';
import type { EmulatorState } from '../state';
import type { DeviceRecord } from '../tenantData';
import { parseTop, readSkipToken, writeSkipToken } from './paging';

/** Graph's page size when no $top is given, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function listManagedDevices({ state, request }: HandlerContext): GraphResponse {
  const { query, version } = request;
  const select = parseSelect(query.get('$select'), version);
  const filter = query.get('$filter');
  const plan: DeviceFilterPlan = filter === null ? {} : compileDeviceFilter(filter, version);
  const top = parseTop(query.get('$top'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = readSkipToken(query.get('$skiptoken'));
  const count = parseCount(query.get('$count'));

  const page = findDevicePage(state.devices, plan, { offset, top, count }, state.deviceIndexes);

  const body: Record<string, unknown> = {
    '@odata.context': `${state.baseUrl}/${version}/$metadata#deviceManagement/managedDevices${select ? `(${select.join(',')})` : ''}`,
  };
  if (page.total !== undefined) body['@odata.count'] = page.total;
  // Like Intune, list responses carry deviceActionResults empty: read one device to see them.
  body.value = page.devices.map((d) => present(state, d, version, select, false));
  if (page.more) {
    body['@odata.nextLink'] = nextLink(state, request.version, query, offset + top);
  }
  return { status: 200, body };
}

export function getManagedDevice({ state, request, params }: HandlerContext): GraphResponse {
  const device = findDevice(state, params.id ?? '');
  const select = parseSelect(request.query.get('$select'), request.version);
  const body = {
    '@odata.context': `${state.baseUrl}/${request.version}/$metadata#deviceManagement/managedDevices/$entity`,
    ...present(state, device, request.version, select, true),
  };
  return { status: 200, body };
}

export function resetPasscode({ state, params }: HandlerContext): GraphResponse {
  const device = findDevice(state, params.id ?? '');
  state.resets.start(device, state.resetDelayMs, platformOutcome(state, device));
  return { status: 204 };
}

function findDevice(state: EmulatorState, id: string): DeviceRecord {
  const device = state.devices.get(id);
  if (!device) {
    throw notFound(`The managed device '${id}' was not found.`);
  }
  return device;
}

function present(
  state: EmulatorState,
  device: DeviceRecord,
  version: GraphVersion,
  select: string[] | undefined,
  withActionResults: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: device.id };
  const listRow = !withActionResults;
  for (const property of select ?? deviceProperties(version)) {
    if (property === 'deviceActionResults') {
      out[property] = withActionResults ? actionResults(state, device, version) : [];
    } else if (listRow && state.behaviour.listRowsDiffer && LIST_UNRELIABLE.has(property)) {
      out[property] = 'unknown';
    } else {
      out[property] = property in device ? device[property] : defaultDeviceValue(property);
    }
  }
  return out;
}

/**
 * Beta list rows report these as 'unknown' (or wrong) while the single GET is right:
 * microsoftgraph/microsoft-graph-docs issues 17851 (chassisType) and 18648 (deviceType).
 */
const LIST_UNRELIABLE: ReadonlySet<string> = new Set(['deviceType', 'joinType', 'chassisType']);

/** The device's stored action results, with its resetPasscode entry replaced by the live one. */
function actionResults(
  state: EmulatorState,
  device: DeviceRecord,
  version: GraphVersion,
): unknown[] {
  const stored = Array.isArray(device.deviceActionResults)
    ? (device.deviceActionResults as unknown[])
    : [];
  const live = state.resets.actionResult(device.id);
  const others = live
    ? stored.filter(
        (entry) => (entry as { actionName?: unknown } | null)?.actionName !== 'resetPasscode',
      )
    : stored;
  const all = live ? [...others, live] : others;
  // Microsoft's samples read the passcode from beta; v1.0 reads are reported without it.
  if (!state.behaviour.passcodeOnlyOnBeta || version === 'beta') return all;
  return all.map((entry) =>
    entry && typeof entry === 'object' && 'passcode' in entry
      ? { ...entry, passcode: null }
      : entry,
  );
}

/** `$select` names, canonical; 400 for a property the version lacks (deviceType on v1.0). */
function parseSelect(raw: string | null, version: GraphVersion): string[] | undefined {
  if (raw === null) return undefined;
  const names = raw.split(',').map((s) => s.trim());
  const selected: string[] = [];
  for (const name of names) {
    if (!name) throw badRequest('Invalid $select: empty property name.');
    const canonical = canonicalDeviceProperty(version, name);
    if (!canonical) {
      throw badRequest(
        `Could not find a property named '${name}' on type 'microsoft.graph.managedDevice'.`,
      );
    }
    if (!selected.includes(canonical)) selected.push(canonical);
  }
  return selected;
}

function parseCount(raw: string | null): boolean {
  if (raw === null) return false;
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  throw badRequest(`Invalid value '${raw}' for $count: expected true or false.`);
}

function nextLink(
  state: EmulatorState,
  version: GraphVersion,
  query: URLSearchParams,
  offset: number,
): string {
  const kept = ['$filter', '$select', '$top', '$count'];
  const parts: string[] = [];
  for (const name of kept) {
    const value = query.get(name);
    if (value !== null) parts.push(`${name}=${encodeURIComponent(value)}`);
  }
  parts.push(`$skiptoken=${writeSkipToken(offset)}`);
  return `${state.baseUrl}/${version}/deviceManagement/managedDevices?${parts.join('&')}`;
}
