import type { Logger } from '../logger';
import type { AuditWriter } from './auditWriter';
import type { Clock } from './clock';
import type { DeskSettings } from './deskSettings';
import type { IntuneAccess } from './intuneAccess';
import type { JobRepository } from './jobRepository';
import type { Messenger } from './messenger';

/** What the Desk's operations and the tracker's steps both use (built once in createDesk). */
export interface CoreContext {
  settings: DeskSettings;
  /** Which Intune an action uses: the app's, or the acting (or requesting) technician's token. */
  access: IntuneAccess;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  audit: AuditWriter;
  jobs: JobRepository;
}
