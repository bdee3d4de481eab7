import { inspect } from 'node:util';

const HIDDEN = '[token hidden]';

/**
 * A technician's own (delegated) Graph access token, held in memory for one turn or
 * one background step. Like Passcode, every accidental route to text (String(),
 * JSON.stringify, util.inspect, loggers, a record spread into a stored document)
 * yields a placeholder; the value comes out only through reveal(), at the point a
 * Graph client is built with it (see intuneAccess.ts).
 */
export class UserToken {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
