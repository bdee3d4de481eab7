import { HiddenSecret } from './hiddenSecret';

/**
 * A technician's own (delegated) Graph access token, held in memory for one turn or one
 * background step; reveal() only where a Graph client is built with it (intuneAccess.ts).
 */
export class UserToken extends HiddenSecret {
  declare private readonly brand: 'userToken';

  constructor(value: string) {
    super(value, '[token hidden]');
  }
}
