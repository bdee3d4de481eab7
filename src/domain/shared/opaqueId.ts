import { randomBytes } from 'node:crypto';

/** 128 random bits, base64url: unguessable ids for picks, pending actions and jobs. */
export function newOpaqueId(): string {
  return randomBytes(16).toString('base64url');
}

const OPAQUE_ID = /^[A-Za-z0-9_-]{22}$/;

export function isOpaqueId(value: unknown): value is string {
  return typeof value === 'string' && OPAQUE_ID.test(value);
}
