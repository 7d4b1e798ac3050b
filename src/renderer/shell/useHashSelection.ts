import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

/** The id in #/<area>/<tab>/<id>, or null when the address names none (or names another list). */
function idFromHash(area: string, tab: string): number | null {
  const [, first, second, id] = window.location.hash.replace(/^#/, '').split('/');
  return first === area && second === tab && id && /^\d+$/.test(id) ? Number(id) : null;
}

/**
 * The record chosen in a list/detail page: the one the address names when the page opens, and
 * again whenever a link elsewhere (#/import/quarantine/7) points at one; a row chosen in the list
 * replaces it without touching the address.
 */
export function useHashSelection(
  area: string,
  tab: string,
): [number | null, Dispatch<SetStateAction<number | null>>] {
  const [selected, setSelected] = useState<number | null>(() => idFromHash(area, tab));
  useEffect(() => {
    const onHash = () => {
      const id = idFromHash(area, tab);
      if (id !== null) setSelected(id);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [area, tab]);
  return [selected, setSelected];
}
