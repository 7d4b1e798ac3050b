import { useEffect, useState } from 'react';

/** The part of the hash after the area (#/inventory/counts → "counts"), for tabs within a page. */
export function useSubRoute<T extends string>(
  area: string,
  tabs: readonly T[],
  fallback: T,
): [T, (tab: T) => void] {
  const read = (): T => {
    const [, first, second] = window.location.hash.replace(/^#/, '').split('/');
    const sub = first === area ? second : undefined;
    return tabs.find((t) => t === sub) ?? fallback;
  };
  const [tab, setTab] = useState<T>(read);
  useEffect(() => {
    const onHash = () => setTab(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
    // read depends only on the constant arguments of this page
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return [tab, (next) => (window.location.hash = `#/${area}/${next}`)];
}
