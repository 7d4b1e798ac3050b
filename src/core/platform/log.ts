/**
 * The app log. Structured lines on stderr; callers pass field names, not sentences with values
 * spliced in, and fields whose names suggest secrets or identifiers are masked, so a serial
 * number, key or password cannot reach the log by accident.
 */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SENSITIVE = /pass|secret|key|token|serial|sgtin|epc|patient|prescri|signature/i;

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] = SENSITIVE.test(name) ? '[redacted]' : value;
  }
  return out;
}

export function createLog(write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Log {
  const emit = (level: string, message: string, fields?: Record<string, unknown>) =>
    write(
      JSON.stringify({ time: new Date().toISOString(), level, message, ...(fields ? redact(fields) : {}) }),
    );
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

export const silentLog: Log = { info() {}, warn() {}, error() {} };
