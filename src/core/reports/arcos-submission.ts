import { ApiError } from '../api/errors';
import type { GeneratedArcosFile } from '../arcos';
import type { LedgerService } from '../ledger/service';
import { buildReport, renderReport, sha256Hex } from './engine';
import { listGenerations } from './handlers';
import { arcosLayout } from './kinds/arcos-layout';
import { parseArcosRecord } from './kinds/arcos-record';

/**
 * The ARCOS file generated here with this SHA-256, rebuilt from the checkpoint it was generated at
 * and proved to be byte for byte the same, with the transaction each record reports: what
 * arcos.markSubmitted records as sent to DEA.
 */
export async function generatedArcosFile(
  service: LedgerService,
  sha256: string,
): Promise<GeneratedArcosFile> {
  const found = await service.read((snapshot) => {
    const generation = listGenerations(snapshot.db).find(
      (g) => g.sha256 === sha256 && g.kind === 'arcos' && g.format === 'txt',
    );
    if (generation === undefined) {
      throw new ApiError(
        'not-found',
        'No ARCOS file with this SHA-256 was generated here: mark submitted the very file Custodia wrote (custodia report arcos … --format txt).',
        { rule: 'arcos-file-unknown' },
      );
    }
    const built = buildReport(snapshot, {
      kind: 'arcos',
      format: 'txt',
      params: generation.params,
      at: generation.checkpointSize,
    });
    return { generation, built };
  });
  const bytes = await renderReport(found.built, 'txt');
  if (sha256Hex(bytes) !== sha256) {
    throw new ApiError(
      'conflict',
      'The ARCOS file rebuilt from its checkpoint differs from the one generated; it is not marked submitted. Verify the ledger (custodia ledger verify).',
      { rule: 'arcos-file-rebuild' },
    );
  }
  const lines = found.built.stamped.document.fixedWidth?.lines ?? [];
  const layout = arcosLayout();
  const period = found.generation.params.id ?? '';
  return {
    period: period.toUpperCase(),
    frequency: /Q/i.test(period) ? 'quarterly' : 'monthly',
    sha256,
    fileName: found.generation.fileName,
    generationSeq: found.generation.seq,
    checkpointSize: found.generation.checkpointSize,
    lines: [...lines],
    records: lines.slice(1).map((record) => {
      const values = parseArcosRecord(layout, record);
      return {
        transactionSeq: Number(values.transactionId),
        action: values.actionIndicator as '' | 'A' | 'D' | 'I',
        record,
      };
    }),
  };
}
