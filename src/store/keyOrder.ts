/** The one key order every engine lists in: UTF-8 bytes, as SQLite's BINARY collation. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
