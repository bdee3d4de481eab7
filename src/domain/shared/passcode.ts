import { HiddenSecret } from './hiddenSecret';

/**
 * A new passcode, in memory only: reveal() is called at the moment of delivery into the
 * requester's 1:1 chat, and nowhere else.
 */
export class Passcode extends HiddenSecret {
  declare private readonly brand: 'passcode';

  constructor(value: string) {
    super(value, '[passcode hidden]');
  }
}
