/**
 * Sets of device ordinals (a device's position in tenant order, never reused) as
 * the device indexes hand them out. Every set iterates in ascending order, so any
 * combination of them yields devices in the tenant's natural order, exactly the
 * order a full scan would produce, and can be consumed lazily (a page of 11 needs
 * only the first 11 verified matches, not all of them).
 */
export interface OrdinalSet extends Iterable<number> {
  /** An upper bound on how many ordinals it yields: planning iterates the smallest set. */
  readonly size: number;
  has(ordinal: number): boolean;
}

export const EMPTY_SET: OrdinalSet = {
  size: 0,
  has: () => false,
  [Symbol.iterator]: () => [][Symbol.iterator](),
};

export function singleSet(only: number): OrdinalSet {
  return {
    size: 1,
    has: (ordinal) => ordinal === only,
    [Symbol.iterator]: () => [only][Symbol.iterator](),
  };
}

/** A posting list (kept ascending by the index that owns it) seen as a set; not copied. */
export function listSet(list: readonly number[]): OrdinalSet {
  return {
    size: list.length,
    has: (ordinal) => findSorted(list, ordinal) >= 0,
    [Symbol.iterator]: () => list[Symbol.iterator](),
  };
}

/** Ordinals in every set: walks the smallest one and probes the others. */
export function intersection(sets: readonly OrdinalSet[]): OrdinalSet {
  if (sets.length === 0) throw new Error('intersection of no sets');
  if (sets.length === 1) return sets[0]!;
  const [driver, ...others] = [...sets].sort((a, b) => a.size - b.size) as [
    OrdinalSet,
    ...OrdinalSet[],
  ];
  return {
    size: driver.size,
    has: (ordinal) => driver.has(ordinal) && others.every((set) => set.has(ordinal)),
    *[Symbol.iterator]() {
      for (const ordinal of driver) {
        if (others.every((set) => set.has(ordinal))) yield ordinal;
      }
    },
  };
}

/** Ordinals in any set, merged in ascending order without repeats. */
export function union(sets: readonly OrdinalSet[]): OrdinalSet {
  if (sets.length === 1) return sets[0]!;
  return {
    size: sets.reduce((sum, set) => sum + set.size, 0),
    has: (ordinal) => sets.some((set) => set.has(ordinal)),
    *[Symbol.iterator]() {
      const cursors = sets.map((set) => set[Symbol.iterator]());
      const heads = cursors.map((cursor) => cursor.next());
      for (;;) {
        let lowest = Infinity;
        for (const head of heads) if (!head.done && head.value < lowest) lowest = head.value;
        if (lowest === Infinity) return;
        yield lowest;
        heads.forEach((head, i) => {
          if (!head.done && head.value === lowest) heads[i] = cursors[i]!.next();
        });
      }
    },
  };
}

/** Index of `ordinal` in an ascending list, or -(insertion point + 1) when absent. */
export function findSorted(list: readonly number[], ordinal: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = list[middle]!;
    if (value === ordinal) return middle;
    if (value < ordinal) low = middle + 1;
    else high = middle - 1;
  }
  return -(low + 1);
}

/** Adds to an ascending list; appending is the common case (new devices get the next ordinal). */
export function insertSorted(list: number[], ordinal: number): void {
  const last = list[list.length - 1];
  if (last === undefined || last < ordinal) {
    list.push(ordinal);
    return;
  }
  const at = findSorted(list, ordinal);
  if (at < 0) list.splice(-at - 1, 0, ordinal);
}
