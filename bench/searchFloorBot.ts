import { ActivityTypes, type TurnContext } from 'botbuilder';
import { parseCommand } from '../src/bot/commands/parseCommand';
import { viewContext } from '../src/bot/reply';
import { readTurn } from '../src/bot/turn';
import { cardActivity, render } from '../src/bot/views/cardSpec';
import { resultsSpec } from '../src/bot/views/searchViews';
import { loadConfig } from '../src/config';
import type { SearchAnswer } from '../src/domain/desk/desk';
import { POLICY } from '../src/domain/desk/deskSettings';
import { evaluateEligibility } from '../src/domain/desk/eligibility';
import { newOpaqueId } from '../src/domain/shared/opaqueId';
import { createIntune } from '../src/intune/createIntune';
import type { Intune } from '../src/domain/ports/intune';
import { silentLogger } from '../src/logger';
import { serveReferenceBot, type ReferenceBot } from './botServer';

/**
 * A second reference for the search turn: the echo bot's stack plus the work a search
 * cannot skip — the same one Graph request through the app's GraphIntune and the same
 * 10-row results card (the app's views and templates) sent through the connector. It
 * has no authorization, store, audit, conversation record or dialog state: the gap
 * between it and the app is the app's own bookkeeping.
 */
export type SearchFloorBot = ReferenceBot;

async function searchTurn(context: TurnContext, intune: Intune): Promise<void> {
  if (context.activity.type !== ActivityTypes.Message) return;
  const command = parseCommand(context.activity.text ?? '');
  if (command.kind !== 'reset') return;
  const { query } = command;
  const found = await intune.searchDevices(query, POLICY.searchCountLimit);
  const answer: SearchAnswer = {
    kind: 'results',
    query,
    rows: found.devices.slice(0, POLICY.searchLimit).map((device) => {
      const verdict = evaluateEligibility(device);
      return verdict.eligible ? { device, verdict, pickId: newOpaqueId() } : { device, verdict };
    }),
    truncated: found.truncated || found.devices.length > POLICY.searchLimit,
  };
  await context.sendActivity(
    cardActivity(render(resultsSpec(viewContext(readTurn(context)), answer))),
  );
}

export function startSearchFloorBot(env: NodeJS.ProcessEnv): Promise<SearchFloorBot> {
  const intune = createIntune(loadConfig(env), silentLogger);
  return serveReferenceBot(
    'search-floor-bot',
    (context) => searchTurn(context, intune),
    Number(env.PORT),
  );
}
