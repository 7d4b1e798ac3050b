import type { SourcePosition } from './model';

/**
 * A problem with one event (or the document header). `tolerable` problems are deviations from the
 * XSD / JSON schema that real trading partners produce while the meaning is still unambiguous
 * (unqualified query results, shuffled field order, CBV URNs in JSON, ...): strict validation reports
 * them as errors, tolerant validation accepts them and lists them as tolerated.
 */
export interface Issue {
  code: IssueCode;
  message: string;
  /** Path of the field inside the event, e.g. "epcList/2" or "readPoint/id". */
  field?: string;
  position?: SourcePosition;
  tolerable?: boolean;
}

export type IssueCode =
  | 'missing-field'
  | 'field-not-allowed'
  | 'unknown-field'
  | 'bad-value'
  | 'bad-identifier'
  | 'unknown-vocabulary'
  | 'field-order'
  | 'namespace'
  | 'structure'
  | 'duplicate-field'
  | 'schema';

export type Severity = 'error' | 'tolerated';

export interface ReportedIssue extends Issue {
  severity: Severity;
}

export function severityOf(issue: Issue, tolerant: boolean): Severity {
  return issue.tolerable === true && tolerant ? 'tolerated' : 'error';
}

/** Collects issues for one event, tagging them with a field path. */
export class IssueSink {
  readonly issues: Issue[] = [];
  /** Beyond this many issues in one sink only a count is kept, so a hostile file cannot fill memory. */
  static readonly MAX = 1000;
  private suppressed = 0;
  constructor(private readonly defaultPosition?: SourcePosition) {}

  add(
    code: IssueCode,
    message: string,
    field?: string,
    options: { tolerable?: boolean; position?: SourcePosition } = {},
  ): void {
    const position = options.position ?? this.defaultPosition;
    if (this.issues.length >= IssueSink.MAX) {
      this.suppressed++;
      const last = this.issues[this.issues.length - 1]!;
      if (last.code === 'structure' && last.message.startsWith('…'))
        last.message = `… and ${this.suppressed} more problem(s) not listed`;
      else
        this.issues.push({
          code: 'structure',
          message: `… and ${this.suppressed} more problem(s) not listed`,
          tolerable: true,
        });
      return;
    }
    this.issues.push({
      code,
      message,
      ...(field !== undefined ? { field } : {}),
      ...(position !== undefined ? { position } : {}),
      ...(options.tolerable === true ? { tolerable: true } : {}),
    });
  }
}
