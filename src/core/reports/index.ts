export type {
  ReportKind,
  ReportSource,
  ReportFormat,
  ReportField,
  ReportParams,
  ReportFieldSpec,
} from './kind';
export { REPORT_FORMATS, REPORT_FIELDS, defineKind } from './kind';
export type * from './document';
export { REPORT_KINDS, kindById } from './registry';
export { reportsHandlers, listGenerations, REPORT_GENERATED } from './handlers';
export { generatedArcosFile } from './arcos-submission';
