import { DeviceIndex, type AccessPath } from './deviceIndex';
import type { DeviceRecord } from './tenantData';

/**
 * A tenant's managed devices in their natural order, with the indexes that let
 * $filter answer without reading them all. A device's ordinal is its position in
 * that order. Devices are only ever added (no route renames or deletes one): a
 * change to an indexed property of a stored record would need re-indexing here.
 */
export class DeviceStore {
  private readonly ordered: DeviceRecord[] = [];
  private readonly byId = new Map<string, DeviceRecord>();
  private readonly index = new DeviceIndex();

  /** Every device in tenant order (insertion order). */
  get all(): readonly DeviceRecord[] {
    return this.ordered;
  }

  get(id: string): DeviceRecord | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** Appends a device at the end of tenant order. */
  add(device: DeviceRecord): void {
    const key = device.id.toLowerCase();
    if (this.byId.has(key)) throw new Error(`duplicate device id ${device.id}`);
    this.byId.set(key, device);
    this.index.add(this.ordered.length, device);
    this.ordered.push(device);
  }

  /**
   * Devices that may satisfy the path, lazily and in tenant order; undefined when
   * the indexes cannot narrow it. Callers still apply the filter's predicate.
   */
  candidates(path: AccessPath): Iterable<DeviceRecord> | undefined {
    const ordinals = this.index.candidates(path);
    if (!ordinals) return undefined;
    const ordered = this.ordered;
    return {
      *[Symbol.iterator]() {
        for (const ordinal of ordinals) yield ordered[ordinal]!;
      },
    };
  }
}
