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

interface HoldRule {
  remaining: number;
  pattern?: RegExp;
}

export class FaultInjector {
  private rules: Rule[] = [];
  private slowRules: SlowRule[] = [];
  private holdRules: HoldRule[] = [];
  private held: Array<() => void> = [];

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

  /**
   * The next `count` top-level requests matching `pattern` (any if omitted) are carried out
   * at once but answered only at release(): a Graph that has not answered yet, for as long
   * as a test needs, without a guessed delay.
   */
  hold(count: number, pattern?: RegExp): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new Error(`count must be a non-negative integer, got ${count}`);
    }
    if (count > 0) this.holdRules.push({ remaining: count, ...(pattern ? { pattern } : {}) });
  }

  /** Consumes a hold rule for this top-level request: its answer waits for the promise. */
  takeHold(url: string): Promise<void> | undefined {
    const rule = this.holdRules.find((r) => {
      if (r.remaining <= 0) return false;
      if (!r.pattern) return true;
      r.pattern.lastIndex = 0;
      return r.pattern.test(url);
    });
    if (!rule) return undefined;
    rule.remaining--;
    this.holdRules = this.holdRules.filter((r) => r.remaining > 0);
    return new Promise<void>((resolve) => this.held.push(resolve));
  }

  /** How many answers are held now. */
  heldCount(): number {
    return this.held.length;
  }

  /** Answers every held request; returns how many were held. */
  release(): number {
    const held = this.held;
    this.held = [];
    for (const answer of held) answer();
    return held.length;
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
    this.holdRules = [];
    this.release();
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
