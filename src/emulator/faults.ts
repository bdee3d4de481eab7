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

/** One kind of injected trouble for the next `remaining` requests matching `pattern`. */
interface CountedRule {
  remaining: number;
  pattern?: RegExp;
}

/**
 * Rules of one kind, consumed in the order they were added: each answers the next
 * `count` requests whose path and query match its pattern (any request without one).
 */
class CountedRules<R extends CountedRule> {
  private rules: R[] = [];

  add(rule: R): void {
    if (!Number.isInteger(rule.remaining) || rule.remaining < 0) {
      throw new Error(`count must be a non-negative integer, got ${rule.remaining}`);
    }
    if (rule.remaining > 0) this.rules.push(rule);
  }

  /** Consumes and returns the first rule that matches `url` and `accepts`, if any. */
  take(url: string, accepts: (rule: R) => boolean = () => true): R | undefined {
    const rule = this.rules.find((r) => {
      if (r.remaining <= 0 || !accepts(r)) return false;
      if (!r.pattern) return true;
      r.pattern.lastIndex = 0; // a /g or /y pattern must not remember the last match
      return r.pattern.test(url);
    });
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }
}

const withPattern = (pattern?: RegExp) => (pattern ? { pattern } : {});

export class FaultInjector {
  private failures = new CountedRules<CountedRule & InjectedFailure>();
  private slowRules = new CountedRules<CountedRule & { delayMs: number }>();
  private holdRules = new CountedRules<CountedRule>();
  private held: Array<() => void> = [];

  /**
   * The next `count` top-level requests matching `pattern` (any if omitted) are carried out
   * at once but answered `delayMs` later: a Graph that is slow to answer (the reset is
   * accepted; the caller just waits).
   */
  slow(count: number, delayMs: number, pattern?: RegExp): void {
    this.slowRules.add({ delayMs, remaining: count, ...withPattern(pattern) });
  }

  /** Consumes and returns the extra delay for this top-level request (0 when none). */
  takeDelay(url: string): number {
    return this.slowRules.take(url)?.delayMs ?? 0;
  }

  /**
   * The next `count` top-level requests matching `pattern` (any if omitted) are carried out
   * at once but answered only at release(): a Graph that has not answered yet, for as long
   * as a test needs, without a guessed delay.
   */
  hold(count: number, pattern?: RegExp): void {
    this.holdRules.add({ remaining: count, ...withPattern(pattern) });
  }

  /** Consumes a hold rule for this top-level request: its answer waits for the promise. */
  takeHold(url: string): Promise<void> | undefined {
    if (!this.holdRules.take(url)) return undefined;
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
    this.failures.add({
      status: 429,
      retryAfterSeconds,
      remaining: count,
      ...withPattern(pattern),
    });
  }

  fault(count: number, status: number, pattern?: RegExp, retryAfterSeconds?: number): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new Error(`fault status must be 400-599, got ${status}`);
    }
    this.failures.add({
      status,
      remaining: count,
      ...withPattern(pattern),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }

  clear(): void {
    this.failures.clear();
    this.slowRules.clear();
    this.holdRules.clear();
    this.release();
  }

  /** Consumes and returns the failure for this request, if a rule matches. */
  take(url: string, isBatchEnvelope: boolean): InjectedFailure | undefined {
    // The $batch envelope is hit only by a rule that names it (see the top of this file).
    const rule = this.failures.take(url, (r) => !isBatchEnvelope || !!r.pattern);
    if (!rule) return undefined;
    return rule.retryAfterSeconds === undefined
      ? { status: rule.status }
      : { status: rule.status, retryAfterSeconds: rule.retryAfterSeconds };
  }
}
