import assert from 'node:assert/strict';
import { Passcode } from '../src/domain/shared/passcode';
import { UserToken } from '../src/domain/shared/userToken';
import { createLogger, REDACTED_PATHS } from '../src/logger';

/** A pino logger writing JSON lines into an array, as the app's own logger does. */
function capture(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}

const SECRETS = {
  passcode: '73194028',
  token: 'eyJhbGciOi.secret-token.sig',
  bearer: 'Bearer eyJ0eXAi.another-secret.sig',
  password: 'app-password-s3cret',
  clientSecret: 'client-secret-value',
  connection: 'DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0',
};

describe('logger: structured logs with redaction (second line of defence)', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const { logger, lines } = capture();
    logger.info({ jobId: 'job-1' }, 'Reset submitted');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry.msg, 'Reset submitted');
    assert.equal(entry.jobId, 'job-1');
    assert.equal(entry.app, 'passcode-desk');
    assert.equal(typeof entry.time, 'number');
  });

  it('censors passcode, token, authorization and secret fields at the top level and nested', () => {
    const { logger, text } = capture();
    logger.warn(
      {
        passcode: SECRETS.passcode,
        token: SECRETS.token,
        accessToken: SECRETS.token,
        authorization: SECRETS.bearer,
        password: SECRETS.password,
        MicrosoftAppPassword: SECRETS.password,
        AZURE_CLIENT_SECRET: SECRETS.clientSecret,
        AZURE_STORAGE_CONNECTION_STRING: SECRETS.connection,
        result: { passcode: SECRETS.passcode, deep: { passcode: SECRETS.passcode } },
        request: { headers: { authorization: SECRETS.bearer }, token: SECRETS.token },
        user: { password: SECRETS.password, accessToken: SECRETS.token },
      },
      'Everything secret at once',
    );
    const written = text();
    for (const [name, value] of Object.entries(SECRETS)) {
      assert.equal(written.includes(value), false, `${name} reached the log: ${written}`);
    }
    assert.ok(written.includes('[redacted]'));
    assert.ok(REDACTED_PATHS.includes('passcode') && REDACTED_PATHS.includes('token'));
  });

  it('prints a Passcode or a UserToken object as a placeholder, wherever it sits', () => {
    const { logger, text } = capture();
    const passcode = new Passcode(SECRETS.passcode);
    const token = new UserToken(SECRETS.token);
    logger.error({ value: passcode, nested: { what: token }, list: [passcode, token] }, 'oops');
    logger.error(`formatted ${String(passcode)} ${String(token)}`);
    const written = text();
    assert.equal(written.includes(SECRETS.passcode), false, written);
    assert.equal(written.includes(SECRETS.token), false, written);
    assert.ok(written.includes('[passcode hidden]') && written.includes('[token hidden]'));
  });

  it('keeps a line break or a terminal escape in a value inside its one JSON line', () => {
    const { logger, lines } = capture();
    logger.info({ query: 'lumia\nFAKE {"level":50}\u001b[31m' }, 'Search');
    assert.equal(lines.length, 1);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\n\u001b]/.test(lines[0]!.replace(/\n$/, '')));
    assert.equal(
      (JSON.parse(lines[0]!) as { query: string }).query,
      'lumia\nFAKE {"level":50}\u001b[31m',
    );
  });
});
