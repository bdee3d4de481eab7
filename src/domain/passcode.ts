import { inspect } from 'node:util';

const HIDDEN = '[passcode hidden]';

/**
 * Holds a passcode in memory only. Every accidental route to text (String(),
 * JSON.stringify, util.inspect, template literals, loggers) yields a placeholder;
 * the value comes out only through an explicit reveal() at the moment of delivery.
 */
export class Passcode {
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
