import { intersection, union, type OrdinalSet } from './ordinalSets';
import { PostingLists } from './postingLists';
import { SubstringIndex } from './substringIndex';
import type { DeviceRecord } from './tenantData';

/** Properties Intune honours `eq` on (see deviceFilter.ts): each gets an exact-value index. */
export const EQUALS_INDEXED = [
  'deviceName',
  'userPrincipalName',
  'serialNumber',
  'azureADDeviceId',
  'operatingSystem',
  'model',
  'complianceState',
  'managementAgent',
] as const;
/** The one property the bot searches by fragment (contains; startswith behaves alike on Intune). */
export const SUBSTRING_INDEXED = ['deviceName'] as const;

export type EqualsIndexedProperty = (typeof EQUALS_INDEXED)[number];
export type SubstringIndexedProperty = (typeof SUBSTRING_INDEXED)[number];

/**
 * Where a filter's matches can be found without reading every device: a superset
 * of them, which the filter's predicate then verifies. Values are case-folded.
 */
export type AccessPath =
  | { kind: 'equals'; property: EqualsIndexedProperty; value: string }
  | { kind: 'contains'; property: SubstringIndexedProperty; value: string }
  /** `and`: every path holds. */
  | { kind: 'every'; paths: AccessPath[] }
  /** `or`: some path holds (only built when every branch has a path). */
  | { kind: 'some'; paths: AccessPath[] };

export function isEqualsIndexed(property: string): property is EqualsIndexedProperty {
  return (EQUALS_INDEXED as readonly string[]).includes(property);
}

export function isSubstringIndexed(property: string): property is SubstringIndexedProperty {
  return (SUBSTRING_INDEXED as readonly string[]).includes(property);
}

/**
 * A string property as Intune's filters compare it: lower-cased, and '' for a
 * missing or non-string value. The filter predicates and the indexes both read
 * values through this one function, which is what keeps them in agreement.
 */
export function foldedValue(device: DeviceRecord, property: string): string {
  const value = device[property];
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** The indexes of one tenant's devices, keyed by ordinal; DeviceStore keeps them in step. */
export class DeviceIndex {
  private readonly equals = new Map<EqualsIndexedProperty, PostingLists>(
    EQUALS_INDEXED.map((property) => [property, new PostingLists()]),
  );
  private readonly substrings = new Map<SubstringIndexedProperty, SubstringIndex>(
    SUBSTRING_INDEXED.map((property) => [property, new SubstringIndex()]),
  );

  add(ordinal: number, device: DeviceRecord): void {
    for (const [property, lists] of this.equals) lists.add(foldedValue(device, property), ordinal);
    for (const [property, index] of this.substrings)
      index.add(ordinal, foldedValue(device, property));
  }

  /** Ordinals that may match; undefined when this path cannot narrow anything (scan instead). */
  candidates(path: AccessPath): OrdinalSet | undefined {
    switch (path.kind) {
      case 'equals':
        return this.equals.get(path.property)!.get(path.value);
      case 'contains':
        return this.substrings.get(path.property)!.candidates(path.value);
      case 'every': {
        // Any conjunct that narrows is enough; the intersection walks the smallest.
        const sets = path.paths.flatMap((p) => this.candidates(p) ?? []);
        return sets.length ? intersection(sets) : undefined;
      }
      case 'some': {
        const sets = path.paths.map((p) => this.candidates(p));
        return sets.every((s) => s !== undefined) ? union(sets as OrdinalSet[]) : undefined;
      }
    }
  }
}
