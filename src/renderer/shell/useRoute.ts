import { useEffect, useState } from 'react';
import { AREAS, areaFromHash, type AreaId } from './areas';

/** Hash routing (#/ledger): works the same from file:// in Electron and from the host. */
export function useRoute(): [AreaId, (area: AreaId) => void] {
  const [area, setArea] = useState<AreaId>(() => areaFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setArea(areaFromHash(window.location.hash));
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = AREAS.find((a) => a.key === event.key);
      if (target) {
        event.preventDefault();
        window.location.hash = `#/${target.id}`;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  return [area, (next) => (window.location.hash = `#/${next}`)];
}
