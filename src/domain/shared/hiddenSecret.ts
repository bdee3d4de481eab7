import { inspect } from 'node:util';

/**
 * A secret held in memory only. Every accidental route to text (String(), JSON.stringify,
 * util.inspect, template literals, loggers, a record spread into a stored document) yields
 * the placeholder; the value comes out only through an explicit reveal().
 */
export abstract class HiddenSecret {
  readonly #value: string;

  protected constructor(
    value: string,
    private readonly placeholder: string,
  ) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return this.placeholder;
  }

  toJSON(): string {
    return this.placeholder;
  }

  [inspect.custom](): string {
    return this.placeholder;
  }
}
