import { PasscodeRefusedError } from '../domain/ports';

const PASSCODE_KEY = /^passcode$/i;

/**
 * Serializes a value for storage and refuses one that holds a passcode: any object
 * key named `passcode` (any letter case) with a non-empty string value, at any depth.
 * Doing it inside JSON.stringify's replacer sees exactly what would be written
 * (after toJSON) at no extra pass.
 */
export function serializeForStore(value: unknown, where: string): string {
  const json = JSON.stringify(value, (key: string, field: unknown) => {
    if (PASSCODE_KEY.test(key) && typeof field === 'string' && field !== '') {
      throw new PasscodeRefusedError(where);
    }
    return field;
  });
  if (json === undefined) {
    throw new TypeError(`Cannot store ${typeof value} in ${where}: not JSON-serializable`);
  }
  return json;
}

/** The two write conditions exclude each other; saying both is a caller bug. */
export function assertCompatibleConditions(options: { ifMatch?: string; ifNoneMatch?: '*' }): void {
  if (options.ifMatch !== undefined && options.ifNoneMatch !== undefined) {
    throw new TypeError('PutOptions.ifMatch and ifNoneMatch cannot both be set');
  }
  assertIfMatch(options.ifMatch);
  if (options.ifNoneMatch !== undefined && options.ifNoneMatch !== '*') {
    throw new TypeError("PutOptions.ifNoneMatch must be '*'");
  }
}

/**
 * An empty ifMatch would be dropped by HTTP clients (an unconditional write on Blob)
 * but match nothing on SQLite: refuse it so both engines agree.
 */
export function assertIfMatch(ifMatch: string | undefined): void {
  if (ifMatch !== undefined && (typeof ifMatch !== 'string' || ifMatch === '')) {
    throw new TypeError('ifMatch must be a non-empty ETag');
  }
}

/** Keys are opaque strings, but an empty one is always a bug. */
export function assertKey(collection: string, key: string): void {
  if (typeof collection !== 'string' || collection === '') {
    throw new TypeError('A collection name must be a non-empty string');
  }
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`A key in ${collection} must be a non-empty string`);
  }
}
