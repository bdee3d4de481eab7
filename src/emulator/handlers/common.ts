import type { GraphVersion } from '../deviceProperties';
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
