/**
 * Resource limits for reading partner files. Every limit exists so that a hostile or broken file fails
 * fast with a clear message instead of exhausting memory; every one can be raised (CLI: --max-* flags).
 */
export interface ReadLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Deepest element / JSON nesting accepted. */
  maxDepth: number;
  /** Most attributes on one XML element. */
  maxAttributes: number;
  /** Longest single text node, attribute value, JSON string or tag, in characters. */
  maxTextLength: number;
  /** Largest single event (or header) held in memory at once, in characters of source. */
  maxEventLength: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxDepth: 64,
  maxAttributes: 256,
  maxTextLength: 8 * 1024 ** 2,
  maxEventLength: 64 * 1024 ** 2,
};

export function resolveLimits(partial: Partial<ReadLimits> | undefined): ReadLimits {
  return { ...DEFAULT_LIMITS, ...stripUndefined(partial ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Names of the CLI flags that raise each limit, for error messages that say what to do next. */
export const LIMIT_FLAGS: Record<keyof ReadLimits, string> = {
  maxBytes: '--max-bytes',
  maxDepth: '--max-depth',
  maxAttributes: '--max-attributes',
  maxTextLength: '--max-text',
  maxEventLength: '--max-event',
};
