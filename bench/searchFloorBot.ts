import type { AddressInfo } from 'node:net';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import * as restify from 'restify';
import { viewContext } from '../src/bot/reply';
import { readTurn } from '../src/bot/turn';
import { cardActivity, render } from '../src/bot/views/cardSpec';
import { resultsSpec } from '../src/bot/views/searchViews';
import { loadConfig } from '../src/config';
import type { SearchAnswer } from '../src/domain/desk';
import { POLICY } from '../src/domain/deskSettings';
import { evaluateEligibility } from '../src/domain/eligibility';
import { newOpaqueId } from '../src/domain/opaqueId';
import { createIntune } from '../src/intune/createIntune';
import type { Intune } from '../src/intune/intune';
import { silentLogger } from '../src/logger';

/**
 * A second reference for the search turn: the echo bot's stack plus the work a search
 * cannot skip — the same one Graph request through the app's GraphIntune and the same
 * 10-row results card (the app's views and templates) sent through the connector. It
 * has no authorization, store, audit, conversation record or dialog state: the gap
 * between it and the app is the app's own bookkeeping.
 */
export interface SearchFloorBot {
  url: string;
  close(): Promise<void>;
}

async function searchTurn(context: TurnContext, intune: Intune): Promise<void> {
  if (context.activity.type !== ActivityTypes.Message) return;
  const query = (context.activity.text ?? '').replace(/^\s*reset\s+/i, '');
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

export async function startSearchFloorBot(
  env: NodeJS.ProcessEnv,
  host = '127.0.0.1',
): Promise<SearchFloorBot> {
  const intune = createIntune(loadConfig(env), silentLogger);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    console.error('search floor turn error:', error instanceof Error ? error.message : error);
    await context.sendActivity('error').catch(() => undefined);
  };
  const server = restify.createServer({ name: 'search-floor-bot' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => searchTurn(context, intune));
  });
  server.get('/readyz', async (_req, res) => {
    res.send(200, { ready: true });
  });
  await new Promise<void>((resolve) => server.listen(Number(env.PORT), host, () => resolve()));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
