import { badRequest } from '../graphError';

export function parseTop(raw: string | null, fallback: number, max: number): number {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
    throw badRequest(`Invalid value '${raw}' for $top: expected a positive integer.`);
  }
  return Math.min(Number(raw), max);
}

/** Opaque to clients, like Graph's: here it only encodes the offset of the next page. */
export function writeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

export function readSkipToken(raw: string | null): number {
  if (raw === null) return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) throw badRequest('The $skiptoken is not valid.');
  return Number(match[1]);
}
