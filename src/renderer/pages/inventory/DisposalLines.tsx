import { Button } from '../../ui/Button';
import { Field, Row } from '../../ui/Form';
import { productLabel, useControlledProducts } from './useControlledProducts';

/** One NDC line of a theft/loss incident or a destruction, as typed. */
export interface LineDraft {
  ndc: string;
  /** Lot (Form 106) or batch (Form 41). */
  lot: string;
  quantity: string;
  fullPackages: string;
  partialCount: string;
}

export const emptyLine = (): LineDraft => ({
  ndc: '',
  lot: '',
  quantity: '',
  fullPackages: '',
  partialCount: '',
});

/**
 * The NDC lines of a Form 106 incident or a Form 41 destruction. With `packages` each line asks
 * for full packages and the partial count, as Form 41 does, and the total is worked out from the
 * product's package size (the core checks it again).
 */
export function DisposalLines({
  lines,
  onChange,
  packages,
  errors,
}: {
  lines: LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  packages?: boolean;
  errors?: Record<number, string>;
}) {
  const products = useControlledProducts();
  const update = (i: number, patch: Partial<LineDraft>) =>
    onChange(
      lines.map((line, j) => {
        if (j !== i) return line;
        const next = { ...line, ...patch };
        const size = products.find(next.ndc)?.packageSize;
        if (packages && size) {
          const total = (Number(next.fullPackages) || 0) * size + (Number(next.partialCount) || 0);
          next.quantity = total > 0 ? String(total) : '';
        }
        return next;
      }),
    );
  return (
    <fieldset className="group">
      <legend>Controlled substances (one line per NDC)</legend>
      <datalist id="disposal-ndcs">
        {products.products.map((p) => (
          <option key={p.ndc} value={p.ndc}>
            {productLabel(p)} ({p.schedule})
          </option>
        ))}
      </datalist>
      {lines.map((line, i) => {
        const product = products.find(line.ndc);
        return (
          <Row key={i}>
            <Field
              label={`NDC, line ${i + 1}`}
              list="disposal-ndcs"
              value={line.ndc}
              onChange={(e) => update(i, { ndc: e.target.value })}
              error={errors?.[i]}
              hint={
                product
                  ? `${productLabel(product)} · ${product.schedule}${product.packageSize ? ` · ${product.packageSize} ${product.unit} per package` : ''}`
                  : 'Type or pick the NDC.'
              }
            />
            <Field
              label={packages ? 'Batch (optional)' : 'Lot (optional)'}
              value={line.lot}
              onChange={(e) => update(i, { lot: e.target.value })}
            />
            {packages ? (
              <>
                <Field
                  label="Full packages"
                  type="number"
                  min={0}
                  step={1}
                  value={line.fullPackages}
                  onChange={(e) => update(i, { fullPackages: e.target.value })}
                />
                <Field
                  label="Partial count"
                  type="number"
                  min={0}
                  step="any"
                  value={line.partialCount}
                  onChange={(e) => update(i, { partialCount: e.target.value })}
                  hint="Units left in an opened package."
                />
              </>
            ) : null}
            <Field
              label={`${packages ? 'Total destroyed' : 'Quantity lost'}${product ? ` (${product.unit})` : ''}`}
              type="number"
              min={0}
              step="any"
              value={line.quantity}
              readOnly={packages && Boolean(product?.packageSize)}
              onChange={(e) => update(i, { quantity: e.target.value })}
            />
            {lines.length > 1 ? (
              <Button variant="ghost" onClick={() => onChange(lines.filter((_, j) => j !== i))}>
                Remove line {i + 1}
              </Button>
            ) : null}
          </Row>
        );
      })}
      <Button variant="ghost" onClick={() => onChange([...lines, emptyLine()])}>
        Add another NDC
      </Button>
    </fieldset>
  );
}
