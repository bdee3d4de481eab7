/**
 * A rolling-window budget of Graph reads: at most `maxReads` in any `windowMs`, as
 * Intune counts requests (POLICY.trackerReadsPerWindow explains the numbers). Times come
 * from the caller's clock, so tests drive it with a fake one.
 */
export class ReadBudget {
  private readonly spent: Array<{ at: number; reads: number }> = [];

  constructor(
    readonly maxReads: number,
    readonly windowMs: number,
  ) {}

  /** Reads still allowed now. */
  available(now: Date): number {
    this.forgetBefore(now.getTime() - this.windowMs);
    const used = this.spent.reduce((sum, entry) => sum + entry.reads, 0);
    return Math.max(0, this.maxReads - used);
  }

  /** Records reads made (or about to be made) now. */
  spend(reads: number, now: Date): void {
    if (reads > 0) this.spent.push({ at: now.getTime(), reads });
  }

  /**
   * Entries before `cutoff` have left the window. The window is closed at both ends, so
   * no span of `windowMs` however placed (even one with reads at both of its ends)
   * holds more than `maxReads`.
   */
  private forgetBefore(cutoff: number): void {
    while (this.spent.length > 0 && (this.spent[0]?.at ?? Infinity) < cutoff) this.spent.shift();
  }
}
