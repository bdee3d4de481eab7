/** The entry's own `at` when it has one (AuditEntry does), else the append time. */
export function entryTime(entry: unknown): string {
  const at = (entry as { at?: unknown } | null)?.at;
  return typeof at === 'string' && at !== '' ? at : new Date().toISOString();
}

export function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`An audit limit must be a non-negative integer, got ${limit}`);
  }
}
