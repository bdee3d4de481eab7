import type { Logger } from '../../logger';
import type { AuditWriter } from '../audit';
import type { Clock, Messenger } from '../ports';
import type { DeskSettings } from '../desk';
import type { IntuneAccess } from '../access';
import type { JobRepository } from '../records';

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
