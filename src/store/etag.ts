import { randomBytes } from 'node:crypto';

/** A fresh, unguessable ETag for every write (engines without server ETags use it). */
export function newEtag(): string {
  return randomBytes(12).toString('base64url');
}
