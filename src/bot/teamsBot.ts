import {
  ActivityTypes,
  TeamsActivityHandler,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { activityIdentityProblem, validatedIds } from './activityIdentity';
import { runSignedIn } from './auth/messageSignIn';
import { handleCardAction } from './cardActions';
import { handleMessage } from './commands';
import type { BotServices } from './services';
import { readTurn, type TurnInfo } from './turn';
import { sendWelcome } from './welcome';

const TURN_INFO = Symbol('turnInfo');

const turnOf = (context: TurnContext): TurnInfo =>
  (context.turnState.get(TURN_INFO) as TurnInfo | undefined) ?? readTurn(context);

/**
 * Routes Teams activities: messages to commands, Action.Execute invokes to card actions,
 * installs to the welcome card. Remembers where everyone is on every activity.
 */
export class PasscodeDeskBot extends TeamsActivityHandler {
  constructor(private readonly services: BotServices) {
    super();
    this.onMessage(async (context, next) => {
      const turn = turnOf(context);
      await runSignedIn(context, turn, services, () => handleMessage(context, turn, services));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((member) => member.id === botId)) {
        await sendWelcome(context, turnOf(context), services);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await sendWelcome(context, turnOf(context), services);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (await this.refusedAtTheDoor(context)) return;
    const turn = readTurn(context);
    context.turnState.set(TURN_INFO, turn);
    // A foreign tenant is refused later (and audited); it leaves no conversation behind.
    if (this.services.desk.acceptsTenant(turn.actor.tenantId)) {
      await this.services.directory.remember(context, turn);
    }
    try {
      // Delegated mode: the activities that finish a sign-in never reach the handlers.
      if (!(await this.services.signIn?.handle(context))) await super.run(context);
    } finally {
      await this.services.prompts.save(context);
      await this.services.signIn?.save(context);
    }
  }

  /**
   * Not what Teams sends (another channel, two tenants, malformed ids): one bounded audit
   * entry and nothing else: no conversation kept, no handler, no answer but an invoke's 403.
   */
  private async refusedAtTheDoor(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    const problem = activityIdentityProblem(activity, this.services.settings.allowedChannelIds);
    if (!problem) return false;
    await this.services.desk.refuseActivity({
      ...problem,
      activityType: activity.type,
      ...validatedIds(activity),
    });
    this.services.logger.warn(
      { reason: problem.reason, field: problem.field },
      'Refused an activity Teams would not send',
    );
    if (activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
    }
    return true;
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      return { status: 200, body: await handleCardAction(context, turnOf(context), this.services) };
    }
    return super.onInvokeActivity(context);
  }
}
