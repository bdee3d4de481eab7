import type { GraphVersion } from '../deviceProperties';
import type { GraphResponse } from '../graphRequest';
import type { EmulatorState } from '../state';

/** A stored object as sent over HTTP: emulator-only members ("_…") and `omit` removed. */
export function publicView(
  value: Record<string, unknown>,
  omit: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!key.startsWith('_') && !omit.includes(key)) out[key] = item;
  }
  return out;
}

/** Keeps `id` and the `$select`ed members (matched case-insensitively); all when no $select. */
export function applySelect(
  value: Record<string, unknown>,
  raw: string | null,
): Record<string, unknown> {
  if (raw === null) return value;
  const wanted = new Set(raw.split(',').map((s) => s.trim().toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'id' || key.startsWith('@odata') || wanted.has(key.toLowerCase())) out[key] = item;
  }
  return out;
}

export function contextUrl(state: EmulatorState, version: GraphVersion, fragment: string): string {
  return `${state.baseUrl}/${version}/$metadata#${fragment}`;
}

/** A 200 answer carrying a collection, shaped as Graph sends one. */
export function collectionResponse(
  state: EmulatorState,
  version: GraphVersion,
  fragment: string,
  value: readonly unknown[],
): GraphResponse {
  return { status: 200, body: { '@odata.context': contextUrl(state, version, fragment), value } };
}

/** A 200 answer carrying one entity, shaped as Graph sends one. */
export function entityResponse(
  state: EmulatorState,
  version: GraphVersion,
  fragment: string,
  entity: Record<string, unknown>,
): GraphResponse {
  return {
    status: 200,
    body: { '@odata.context': contextUrl(state, version, fragment), ...entity },
  };
}

/** The assignments navigation of a profile or policy: copies, so callers cannot edit the tenant. */
export function assignmentsResponse(
  state: EmulatorState,
  version: GraphVersion,
  fragment: string,
  assignments: readonly object[] | undefined,
): GraphResponse {
  return collectionResponse(
    state,
    version,
    fragment,
    (assignments ?? []).map((a) => ({ ...a })),
  );
}
