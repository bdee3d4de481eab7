/**
 * domain/audit: the audit writer: who did what, never a secret. What code outside the folder may
 * use.
 */
export {
  aboutJob,
  AuditWriter,
  byActor,
  deviceOwnerOf,
  errorName,
  SYSTEM_ACTOR,
} from './auditWriter';
export type { AuditFields } from './auditWriter';
