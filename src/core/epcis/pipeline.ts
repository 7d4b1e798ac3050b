import type { ReportedIssue } from './issues';
import { severityOf } from './issues';
import type { ReadLimits } from './limits';
import type { EpcisDocument, EpcisEvent, SourcePosition } from './model';
import { readEpcis } from './reader';
import type { ByteSource } from './text-source';
import { validateEvent } from './validate';
import type { CandidateEvent } from './xml-event';

export interface PipelineOptions {
  tolerant?: boolean;
  limits?: Partial<ReadLimits>;
}

export type ValidatedItem =
  | { type: 'document'; document: EpcisDocument; issues: ReportedIssue[] }
  | {
      type: 'event';
      index: number;
      position: SourcePosition;
      /** The validated event; undefined when it has errors (see issues). */
      event: EpcisEvent | undefined;
      /** What was read, valid or not (the hash CLI hashes it anyway). */
      candidate: CandidateEvent;
      issues: ReportedIssue[];
    };

/** Read + validate, streaming: the entry point for import, the CLI and the benchmark. */
export async function* readValidated(
  source: ByteSource,
  options: PipelineOptions = {},
): AsyncGenerator<ValidatedItem> {
  const tolerant = options.tolerant ?? false;
  for await (const item of readEpcis(
    source,
    options.limits !== undefined ? { limits: options.limits } : {},
  )) {
    if (item.type === 'document') {
      yield {
        type: 'document',
        document: item.document,
        issues: item.issues.map((i) => ({ ...i, severity: severityOf(i, tolerant) })),
      };
    } else {
      const v = validateEvent(item.candidate, item.issues, tolerant);
      yield {
        type: 'event',
        index: item.index,
        position: item.position,
        event: v.event,
        candidate: item.candidate,
        issues: v.issues,
      };
    }
  }
}

/** Where an issue is, for people: "line 12, column 5" or "/epcisBody/eventList/3/epcList/0". */
export function whereIs(position: SourcePosition | undefined, field: string | undefined): string {
  if (position?.pointer !== undefined) {
    const base = position.pointer;
    return field !== undefined ? `${base}/${field.replace(/~/g, '~0')}` : base || '/';
  }
  if (position?.line !== undefined) {
    const at = `line ${position.line}${position.column !== undefined ? `, column ${position.column}` : ''}`;
    return field !== undefined ? `${at} (${field})` : at;
  }
  return field ?? 'document';
}
