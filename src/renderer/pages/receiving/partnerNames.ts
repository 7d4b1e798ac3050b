import { useMemo } from 'react';
import { useQuery } from '../../api/context';

/**
 * GLN → trading partner name. Shipments from EPCIS files without location master data carry only
 * the seller's GLN; the partner saved under Partners gives the name a clerk recognises.
 */
export function usePartnerNames(): (gln: string | null) => string | null {
  const partners = useQuery('partners.list', {});
  return useMemo(() => {
    const names = new Map<string, string>();
    if (partners.status === 'ok')
      for (const p of partners.data.partners) for (const g of p.glns) names.set(g, p.name);
    return (gln) => (gln === null ? null : (names.get(gln) ?? null));
  }, [partners]);
}
