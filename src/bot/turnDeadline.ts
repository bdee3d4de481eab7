import { AsyncLocalStorage } from 'node:async_hooks';
import { TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { formatTime, t } from '../i18n';
import type { Logger } from '../logger';
import type { Proactive } from './proactive';
import { viewContext } from './reply';
import type { BotServices } from './services';
import type { TurnInfo } from './turn';
import { cardActivity, render, type CardSpec } from './views/cardSpec';
import { genericErrorSpec, noticeSpec } from './views/messageViews';

/** Where a command sends its answer: the turn's own context, or the proactive path once late. */
export interface ReplyChannel {
  sendActivity(activity: Partial<Activity>): Promise<ResourceResponse | undefined>;
}

/** What the Graph client saw while one turn's work ran (see noteGraphThrottled). */
interface TurnWatch {
  throttled: boolean;
  /** When Graph's last Retry-After for this work ends (ms since the epoch). */
  retryAt?: number;
}

const watches = new AsyncLocalStorage<TurnWatch>();

/**
 * Told of every 429 the Graph client sees (app.ts wires it to the client's onThrottled):
 * the turn whose work made the call learns that Intune asked us to wait, and until when.
 */
export function noteGraphThrottled(retryAfterSeconds?: number, now = Date.now()): void {
  const watch = watches.getStore();
  if (!watch) return;
  watch.throttled = true;
  if (retryAfterSeconds !== undefined) {
    watch.retryAt = Math.max(watch.retryAt ?? 0, now + retryAfterSeconds * 1000);
  }
}

type Outcome<T> =
  { kind: 'done'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'gaveUp' };

type Raced<T> =
  { inTime: true; value: T } | { inTime: false; watch: TurnWatch; rest: Promise<Outcome<T>> };

const LATE = Symbol('late');

function after<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), Math.max(0, ms));
    // A turn's timers never keep a stopping process alive.
    timer.unref();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** The card an invoke answers with while its work goes on: what is happening, per verb. */
const WORKING_KEYS: Readonly<Record<string, string>> = {
  search: 'working.search',
  pick: 'working.pick',
  confirm: 'working.confirm',
  showPasscode: 'working.showPasscode',
};

export interface TurnDeadlineOptions {
  /** TURN_DEADLINE_SECONDS: a turn answers within this, whatever Graph does. */
  deadlineMs: number;
  /** TURN_BACKGROUND_SECONDS: how long a late turn's work may still finish and be shown. */
  backgroundMs: number;
  proactive: Pick<Proactive, 'sendTo' | 'updateAt'>;
  logger: Logger;
  /** Counts a late turn's work as in flight, so a graceful stop waits for it (the TurnGate). */
  inFlight?: { keep(work: Promise<unknown>): void };
}

/**
 * Every Teams turn answers well inside Teams' ~15 s. The work of a card press or a typed
 * command is raced against TURN_DEADLINE_SECONDS: in time, it answers as it always did;
 * late, the turn answers "working on it" and the work goes on in the background, bounded by
 * TURN_BACKGROUND_SECONDS, and its result replaces that card or message.
 *
 * botbuilder revokes a turn's TurnContext when the turn ends (BotAdapter.runMiddleware), and
 * an invoke's answer is gone by then: nothing here touches the context after the deadline.
 * Late results go through the proactive path (continueConversationAsync + updateActivity)
 * with a conversation reference read while the turn was live.
 */
export class TurnDeadline {
  constructor(private readonly options: TurnDeadlineOptions) {}

  /**
   * An Action.Execute press: the handler's card in time (its errors thrown as they are), or
   * a working card now and the handler's card (or `failedCard`) in place of the pressed
   * card's message later.
   */
  async card(
    context: TurnContext,
    turn: TurnInfo,
    verb: string,
    work: () => Promise<AdaptiveCard>,
    failedCard: (error: unknown) => AdaptiveCard,
  ): Promise<AdaptiveCard> {
    const reference = TurnContext.getConversationReference(context.activity);
    const messageId = context.activity.replyToId;
    const raced = await this.race(work);
    if (raced.inTime) return raced.value;
    const ctx = viewContext(turn);
    const working = raced.watch.throttled
      ? t(ctx.locale, 'working.throttledCard')
      : t(ctx.locale, WORKING_KEYS[verb] ?? 'working.other');
    this.keep(raced.rest, raced.watch, turn, async (outcome) => {
      const card =
        outcome.kind === 'done'
          ? outcome.value
          : outcome.kind === 'failed'
            ? failedCard(outcome.error)
            : render(this.gaveUpSpec(turn, raced.watch));
      if (!messageId) return;
      await this.options.proactive.updateAt(reference, messageId, cardActivity(card));
    });
    return render(noticeSpec(ctx, working, t(ctx.locale, 'working.title')));
  }

  /**
   * A typed command: `work` sends its answer through the channel it is given. In time, that
   * is this turn; late, this turn sends "still working" and the first message the work sends
   * replaces it (later ones are posted), through the proactive path.
   */
  async message(
    context: TurnContext,
    turn: TurnInfo,
    work: (out: ReplyChannel) => Promise<void>,
    failedSpec: (error: unknown) => CardSpec,
  ): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const proactive = this.options.proactive;
    let late = false;
    let abandoned = false;
    let working: Promise<string | undefined> = Promise.resolve(undefined);
    let workingReplaced = false;
    const out: ReplyChannel = {
      sendActivity: async (activity) => {
        if (!late) return context.sendActivity(activity);
        if (abandoned || activity.type === 'typing') return undefined;
        const workingId = workingReplaced ? undefined : await working;
        if (workingId) {
          workingReplaced = true;
          await proactive.updateAt(reference, workingId, activity);
          return { id: workingId };
        }
        return { id: await proactive.sendTo(reference, activity) };
      },
    };
    const raced = await this.race(() => work(out));
    if (raced.inTime) return;
    late = true;
    const ctx = viewContext(turn);
    const text = raced.watch.throttled
      ? t(ctx.locale, 'working.throttledMessage')
      : t(ctx.locale, 'working.message');
    working = context
      .sendActivity(cardActivity(render(noticeSpec(ctx, text, t(ctx.locale, 'working.title')))))
      .then(
        (sent) => sent?.id,
        (error: unknown) => {
          this.logFailure('Could not send the working message', error);
          return undefined;
        },
      );
    await working;
    this.keep(raced.rest, raced.watch, turn, async (outcome) => {
      if (outcome.kind === 'done') return;
      abandoned = true;
      const spec =
        outcome.kind === 'failed' ? failedSpec(outcome.error) : this.gaveUpSpec(turn, raced.watch);
      const activity = cardActivity(render(spec));
      const workingId = workingReplaced ? undefined : await working;
      if (workingId) await proactive.updateAt(reference, workingId, activity);
      else await proactive.sendTo(reference, activity);
    });
  }

  /** Runs `work` under a watch and races it against the deadline. */
  private async race<T>(work: () => Promise<T>): Promise<Raced<T>> {
    const watch: TurnWatch = { throttled: false };
    const settled: Promise<Outcome<T>> = watches.run(watch, work).then(
      (value) => ({ kind: 'done', value }),
      (error: unknown) => ({ kind: 'failed', error }),
    );
    const deadline = after(this.options.deadlineMs, LATE);
    const first = await Promise.race([settled, deadline.promise]);
    if (first !== LATE) {
      deadline.cancel();
      if (first.kind === 'failed') throw first.error;
      if (first.kind === 'done') return { inTime: true, value: first.value };
    }
    const limit = after(this.options.backgroundMs - this.options.deadlineMs, {
      kind: 'gaveUp',
    } as const);
    const rest = Promise.race([settled, limit.promise]).finally(limit.cancel);
    return { inTime: false, watch, rest };
  }

  /** Finishes a late turn's work in the background, counted as in flight until shown. */
  private keep<T>(
    rest: Promise<Outcome<T>>,
    watch: TurnWatch,
    turn: TurnInfo,
    show: (outcome: Outcome<T>) => Promise<void>,
  ): void {
    const shown = this.finish(rest, watch, turn, show);
    this.options.inFlight?.keep(shown);
  }

  /** Shows a late turn's outcome; a failure to show it is logged, never thrown. */
  private async finish<T>(
    rest: Promise<Outcome<T>>,
    watch: TurnWatch,
    turn: TurnInfo,
    show: (outcome: Outcome<T>) => Promise<void>,
  ): Promise<void> {
    const outcome = await rest;
    if (outcome.kind === 'gaveUp') {
      this.options.logger.warn(
        { conversation: turn.where.key, throttled: watch.throttled },
        'Turn work still unfinished at TURN_BACKGROUND_SECONDS; asked to try again',
      );
    }
    try {
      await show(outcome);
    } catch (error) {
      this.logFailure('Could not show the result of a late turn', error);
    }
  }

  /** "Try again": at the time Graph's Retry-After names, when it named one. */
  private gaveUpSpec(turn: TurnInfo, watch: TurnWatch): CardSpec {
    const ctx = viewContext(turn);
    const message =
      watch.retryAt !== undefined && watch.retryAt > Date.now()
        ? t(ctx.locale, 'working.tryAgainAt', {
            time: formatTime(ctx.locale, new Date(watch.retryAt).toISOString(), ctx.timeZone, {
              seconds: true,
            }),
          })
        : t(ctx.locale, 'working.tryAgain');
    return noticeSpec(ctx, message, t(ctx.locale, 'working.tryAgainTitle'));
  }

  /** Names and status only: a connector error can carry the request, which may hold a card. */
  private logFailure(what: string, error: unknown): void {
    this.options.logger.warn({ err: { name: (error as Error)?.name } }, what);
  }
}

/**
 * A typed command's work within the turn deadline (the command dispatcher and the search
 * prompt): without a TurnDeadline it simply answers in this turn.
 */
export function runWithinDeadline(
  context: TurnContext,
  turn: TurnInfo,
  services: Pick<BotServices, 'turnDeadline' | 'logger'>,
  work: (out: ReplyChannel) => Promise<void>,
): Promise<void> {
  if (!services.turnDeadline) return work(context);
  return services.turnDeadline.message(context, turn, work, (error) => {
    services.logger.error(
      { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
      'Command failed after the turn answered',
    );
    return genericErrorSpec(viewContext(turn));
  });
}
