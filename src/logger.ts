import pino from 'pino';

/**
 * Structured logs. Redaction is a second line of defence: the passcode never
 * reaches a logger in the first place (see domain/passcode.ts).
 */
export type Logger = pino.Logger;

export const REDACTED_PATHS = [
  'passcode',
  '*.passcode',
  '*.*.passcode',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
  'MicrosoftAppPassword',
  'AZURE_CLIENT_SECRET',
  'AZURE_STORAGE_CONNECTION_STRING',
];

export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'passcode-desk' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything, for tests that don't read logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
