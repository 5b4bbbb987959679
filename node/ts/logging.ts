// Logging: the core's (redacted) events to a callback of yours or to `console`, at a chosen level.
import { native } from './addon';
import { wrap } from './errors';

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** One SDK event: one per HTTP attempt at `info`, redacted bodies at `debug`. Never holds a secret. */
export interface LogRecord {
  level: Exclude<LogLevel, 'off'>;
  target: string;
  message: string;
  fields: Record<string, unknown>;
}

export type Logger = (record: LogRecord) => void;

export interface LoggingOptions {
  /** Default `info`. */
  level?: LogLevel;
  /** Default: `console.error/warn/info/debug` with one line per event. */
  logger?: Logger;
}

function consoleLogger(record: LogRecord): void {
  const fields = Object.entries(record.fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const line = `pagoefectivo ${record.level}: ${record.message}${fields ? ' ' + fields : ''}`;
  const write = {
    error: console.error,
    warn: console.warn,
    info: console.info,
    debug: console.debug,
    trace: console.debug,
  }[record.level];
  write(line);
}

/**
 * Sends the SDK's log events to `logger` (or `console`) from `level` up. Process-wide: the last
 * call wins. `configureLogging('off')` stops it. Events arrive asynchronously on the event loop.
 */
export function configureLogging(options: LoggingOptions | LogLevel = {}): void {
  const { level = 'info', logger = consoleLogger } = typeof options === 'string' ? { level: options } : options;
  if (level === 'off') {
    wrap(() => native.setLogSink('off', null));
    return;
  }
  wrap(() =>
    native.setLogSink(level, (json: string) => {
      try {
        logger(JSON.parse(json) as LogRecord);
      } catch {
        // A failing logger must not take the process down with an uncaught exception.
      }
    }),
  );
}
