import type { Contract, OutputOf } from '../../../core/api';
import { useQuery } from '../../api/context';

export type Product = OutputOf<Contract['products.get']>;

/** The controlled products of the product master, for NDC pickers. */
export function useControlledProducts() {
  const query = useQuery('products.list', { controlledOnly: true, limit: 500 });
  const products = query.status === 'ok' ? query.data.products : [];
  const find = (ndc: string): Product | undefined => {
    const key = ndc.replace(/\D/g, '');
    if (!key) return undefined;
    return products.find(
      (p) => p.ndc === ndc || p.ndc.replace(/\D/g, '') === key || p.ndc11.replace(/\D/g, '') === key,
    );
  };
  return { products, find, reload: query.reload, status: query.status };
}

export function productLabel(p: Product): string {
  return `${p.name} ${p.strength} ${p.dosageForm}`.replace(/\s+/g, ' ').trim();
}
