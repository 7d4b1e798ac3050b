import { ApiError } from '../api/errors';
import type { Product, productsProcedures } from '../api/procedures/products';
import type { Handlers } from '../api/router';
import { me, type AuthService } from '../auth';
import { packageContents, parsePackageFile, parseProductFile } from './ndc-directory';
import { gtinToNdcCandidates } from '../identifiers';
import { partnerFileProducts } from '../trace/products';
import { findProduct, listProducts, normalizeNdc, requireProduct } from './products';

/** The NDC a drug GTIN carries, in its 4-4-2 reading (the layout can be confirmed when adding it). */
function ndcOfGtin(gtin: string): string | null {
  const candidates = gtinToNdcCandidates(gtin);
  return candidates.ok ? (candidates.value[0]?.ndc10 ?? null) : null;
}

/** Products per ledger entry when importing, so one entry stays a reasonable size. */
const IMPORT_BATCH = 500;

export function productsHandlers(auth: AuthService): Handlers<typeof productsProcedures> {
  return {
    'products.list': async (input) => {
      const ws = await auth.workspace();
      return listProducts(ws.db, { limit: 100, offset: 0, ...input });
    },
    'products.get': async (input) => requireProduct((await auth.workspace()).db, input.ndc),
    // Each drug a partner file named whose NDC (as the file gave it, else as its GTIN carries it
    // in the GS1 US 4-4-2 reading) is not in the product list: the DEA schedule is a person's call.
    'products.fromPartnerFiles': async () => {
      const db = (await auth.workspace()).db;
      const products = partnerFileProducts(db).flatMap((p) => {
        const ndc = p.ndc ?? ndcOfGtin(p.gtin);
        if (ndc !== null && findProduct(db, ndc) !== null) return [];
        return [{ ...p, ndc }];
      });
      return { products };
    },
    'products.add': async (input, ctx) => {
      const ws = await auth.workspace();
      const ndc = normalizeNdc(input.ndc);
      const product: Product = {
        ndc: ndc.ndc10,
        ndc11: ndc.ndc11,
        name: input.name,
        strength: input.strength,
        dosageForm: input.dosageForm,
        packageSize: input.packageSize,
        unit: input.unit,
        schedule: input.schedule,
        source: 'manual',
      };
      await ws.guarded(
        { area: 'products', procedure: 'products.add', actor: me(ctx).userId, subject: { ndc: ndc.ndc10 } },
        (tx) => {
          if (findProduct(tx.db, ndc.ndc10) !== null) {
            throw new ApiError(
              'conflict',
              `${ndc.ndc10} is already in the product master; products are not overwritten.`,
              {
                rule: 'unique-ndc',
              },
            );
          }
          tx.record('products.added', me(ctx).userId, { product });
        },
      );
      return product;
    },
    'products.importNdcDirectory': async (input, ctx) => {
      const ws = await auth.workspace();
      let parsed;
      let packages;
      try {
        parsed = parseProductFile(input.productTxt);
        packages = input.packageTxt === undefined ? null : parsePackageFile(input.packageTxt);
      } catch (error) {
        throw new ApiError('invalid-input', (error as Error).message, { rule: 'ndc-directory-format' });
      }
      const skipped = [...parsed.problems, ...(packages?.problems ?? [])].map((p) => ({
        line: p.line,
        file: p.file,
        reason: p.reason,
      }));
      const byProductNdc = new Map(parsed.products.map((p) => [p.productNdc, p]));
      const candidates: Product[] = [];
      if (packages === null) {
        skipped.push({
          line: 1,
          file: 'package.txt',
          reason: 'not given: products need package.txt for their package NDCs and sizes',
        });
      } else {
        for (const pkg of packages.packages) {
          const product = byProductNdc.get(pkg.productNdc);
          if (product === undefined) {
            skipped.push({
              line: pkg.line,
              file: 'package.txt',
              reason: `product ${pkg.productNdc} is not in product.txt`,
            });
            continue;
          }
          if (input.scheduledOnly && product.schedule === null) continue;
          const contents = packageContents(pkg.description);
          let ndc;
          try {
            ndc = normalizeNdc(pkg.packageNdc);
          } catch {
            skipped.push({
              line: pkg.line,
              file: 'package.txt',
              reason: 'NDCPACKAGECODE is not a valid NDC',
            });
            continue;
          }
          candidates.push({
            ndc: ndc.ndc10,
            ndc11: ndc.ndc11,
            name: product.name,
            strength: product.strength,
            dosageForm: product.dosageForm,
            packageSize: contents?.size ?? null,
            unit: contents?.unit ?? 'unit',
            schedule: product.schedule,
            source: 'fda-ndc-directory',
          });
        }
      }
      const actor = me(ctx).userId;
      const { added, alreadyPresent } = await ws.write((tx) => {
        const fresh: Product[] = [];
        const seen = new Set<string>();
        let present = 0;
        for (const p of candidates) {
          if (seen.has(p.ndc) || findProduct(tx.db, p.ndc) !== null) present++;
          else fresh.push(p);
          seen.add(p.ndc);
        }
        for (let i = 0; i < fresh.length; i += IMPORT_BATCH) {
          tx.record('products.imported', actor, {
            source: 'fda-ndc-directory',
            products: fresh.slice(i, i + IMPORT_BATCH),
          });
        }
        return { added: fresh.length, alreadyPresent: present };
      });
      return { added, alreadyPresent, skipped: skipped.slice(0, 1000) };
    },
  };
}
