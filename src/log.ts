import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * One logger for every role: JSON lines for machines, human-readable lines on a terminal.
 * Redaction is a second line of defence: code must not put secrets in log fields in the
 * first place.
 */
export type Logger = pino.Logger;

/** `json`: one JSON object a line; `pretty`: human-readable; `auto`: pretty on a terminal, else JSON. */
export type LogFormat = 'auto' | 'json' | 'pretty';

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

export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): Logger {
  const options = { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  const human = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!human) return pino(options);
  // Synchronous, in this process: a worker thread would lose the last lines of a crash.
  return pino(options, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', colorize: process.stdout.isTTY === true }));
}
