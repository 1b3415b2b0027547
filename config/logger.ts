import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the process logger: JSON lines on stderr (stdout is kept for command output).
 * Fields named like secrets are redacted wherever they appear.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'incentra'): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: ['*.apiKey', '*.password', '*.authorization', 'apiKey', 'password'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
