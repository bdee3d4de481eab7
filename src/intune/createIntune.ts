import type { Config } from '../config';
import type { Logger } from '../logger';
import { createTokenSource, StaticTokenSource, type TokenSource } from './credentials';
import { GraphIntune, type GraphIntuneOptions } from './graphIntune';

export type IntuneTuning = Omit<GraphIntuneOptions, 'baseUrl' | 'tokenSource' | 'logger'>;

/** The app's Intune: Graph at GRAPH_BASE_URL with the app's own credential (or the loopback dev token). */
export function createIntune(
  config: Config,
  logger: Logger,
  tokenSource: TokenSource = createTokenSource(config),
  tuning: IntuneTuning = {},
): GraphIntune {
  return new GraphIntune({ ...tuning, baseUrl: config.GRAPH_BASE_URL, tokenSource, logger });
}

/** Delegated mode: the same implementation acting with one technician's own token. */
export function createDelegatedIntune(
  config: Config,
  logger: Logger,
  userToken: string,
  tuning: IntuneTuning = {},
): GraphIntune {
  return createIntune(config, logger, new StaticTokenSource(userToken), {
    ...tuning,
    mode: 'delegated',
  });
}
