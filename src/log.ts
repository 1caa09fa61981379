import pino from 'pino';

/**
 * One JSON logger for every role. Redaction is a second line of defence: code must not put
 * secrets in log fields in the first place.
 */
export type Logger = pino.Logger;

const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
