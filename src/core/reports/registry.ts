import { ApiError } from '../api/errors';
import type { AnyReportKind } from './kind';
import { arcosKind } from './kinds/arcos';
import { biennialInventoryKind } from './kinds/biennial-inventory';
import { csLogKind } from './kinds/cs-log';
import { dscsaT3Kind } from './kinds/dscsa-t3';
import { dea106Kind } from './kinds/dea-106';
import { dea222Kind } from './kinds/dea-222';
import { dea41Kind } from './kinds/dea-41';
import { fda3911Kind } from './kinds/fda-3911';
import { fsma204Kind } from './kinds/fsma-204';

/*
 * Every report kind, in the order the Reports page lists them. A kind is a module under kinds/
 * (kind.ts says what it is); adding one is one import and one line here. Designed for nine: the
 * FDA's three (dscsa-t3, fda-3911, fsma-204) and the DEA's six that follow.
 */
export const REPORT_KINDS: readonly AnyReportKind[] = [
  dscsaT3Kind,
  fda3911Kind,
  fsma204Kind,
  dea222Kind,
  dea106Kind,
  dea41Kind,
  biennialInventoryKind,
  csLogKind,
  arcosKind,
];

export function kindById(id: string): AnyReportKind {
  const kind = REPORT_KINDS.find((k) => k.id === id);
  if (kind === undefined) {
    throw new ApiError('not-found', `There is no report called "${id}".`, {
      kinds: REPORT_KINDS.map((k) => k.id),
    });
  }
  return kind;
}
