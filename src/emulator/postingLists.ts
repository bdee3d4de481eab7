import { EMPTY_SET, insertSorted, listSet, singleSet, type OrdinalSet } from './ordinalSets';

/**
 * Key → ascending device ordinals: the storage under both the exact-value and the
 * n-gram index. A key held by one device (most serial numbers, UPNs, ids) stores
 * the bare ordinal: an array per device would double the index's memory at 100k devices.
 */
export class PostingLists {
  private readonly lists = new Map<string, number | number[]>();

  add(key: string, ordinal: number): void {
    const held = this.lists.get(key);
    if (held === undefined) this.lists.set(key, ordinal);
    else if (typeof held !== 'number') insertSorted(held, ordinal);
    else if (held !== ordinal)
      this.lists.set(key, held < ordinal ? [held, ordinal] : [ordinal, held]);
  }

  get(key: string): OrdinalSet {
    const held = this.lists.get(key);
    if (held === undefined) return EMPTY_SET;
    return typeof held === 'number' ? singleSet(held) : listSet(held);
  }
}
