/** #/trace/<query>: a trace has an address, so a result elsewhere can link to it and Back works. */
export function traceHref(query: string): string {
  return `#/trace/${encodeURIComponent(query)}`;
}

export function queryFromHash(): string {
  const hash = window.location.hash.replace(/^#\/?/, '');
  if (!hash.startsWith('trace/')) return '';
  try {
    return decodeURIComponent(hash.slice('trace/'.length));
  } catch {
    return '';
  }
}
