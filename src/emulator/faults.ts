/**
 * Injected trouble: the next N matching requests answer 429 (throttle) or an
 * error status (fault). Rules are consumed in the order they were added. A
 * rule's pattern is tested against the request's path and query (e.g.
 * "/beta/deviceManagement/managedDevices/{id}/resetPasscode"). Batch sub-requests
 * are matched one by one; the `$batch` envelope itself is matched only by a rule
 * whose pattern was given and matches it, so `throttle(1, 5)` hits a sub-request,
 * not the whole batch.
 */
export interface InjectedFailure {
  status: number;
  retryAfterSeconds?: number;
}

interface Rule extends InjectedFailure {
  remaining: number;
  pattern?: RegExp;
}

interface SlowRule {
  delayMs: number;
  remaining: number;
  pattern?: RegExp;
}

export class FaultInjector {
  private rules: Rule[] = [];
  private slowRules: SlowRule[] = [];

  /**
   * The next `count` top-level requests matching `pattern` (any if omitted) are carried out
   * at once but answered `delayMs` later: a Graph that is slow to answer (the reset is
   * accepted; the caller just waits).
   */
  slow(count: number, delayMs: number, pattern?: RegExp): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new Error(`count must be a non-negative integer, got ${count}`);
    }
    if (count > 0)
      this.slowRules.push({ delayMs, remaining: count, ...(pattern ? { pattern } : {}) });
  }

  /** Consumes and returns the extra delay for this top-level request (0 when none). */
  takeDelay(url: string): number {
    for (const rule of this.slowRules) {
      if (rule.remaining <= 0) continue;
      if (rule.pattern) {
        rule.pattern.lastIndex = 0;
        if (!rule.pattern.test(url)) continue;
      }
      rule.remaining--;
      this.slowRules = this.slowRules.filter((r) => r.remaining > 0);
      return rule.delayMs;
    }
    return 0;
  }

  throttle(count: number, retryAfterSeconds: number, pattern?: RegExp): void {
    this.add({ status: 429, retryAfterSeconds, remaining: count, ...(pattern ? { pattern } : {}) });
  }

  fault(count: number, status: number, pattern?: RegExp, retryAfterSeconds?: number): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new Error(`fault status must be 400-599, got ${status}`);
    }
    this.add({
      status,
      remaining: count,
      ...(pattern ? { pattern } : {}),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }

  clear(): void {
    this.rules = [];
    this.slowRules = [];
  }

  /** Consumes and returns the failure for this request, if a rule matches. */
  take(url: string, isBatchEnvelope: boolean): InjectedFailure | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (isBatchEnvelope && !rule.pattern) continue;
      if (rule.pattern) {
        rule.pattern.lastIndex = 0; // a /g or /y pattern must not remember the last match
        if (!rule.pattern.test(url)) continue;
      }
      rule.remaining--;
      this.rules = this.rules.filter((r) => r.remaining > 0);
      return rule.retryAfterSeconds === undefined
        ? { status: rule.status }
        : { status: rule.status, retryAfterSeconds: rule.retryAfterSeconds };
    }
    return undefined;
  }

  private add(rule: Rule): void {
    if (!Number.isInteger(rule.remaining) || rule.remaining < 0) {
      throw new Error(`count must be a non-negative integer, got ${rule.remaining}`);
    }
    if (rule.remaining > 0) this.rules.push(rule);
  }
}
