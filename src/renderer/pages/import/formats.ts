/** The import formats as a person names them. */
export const FORMAT_LABEL: Record<string, string> = {
  'epcis-xml': 'EPCIS XML',
  'epcis-json': 'EPCIS JSON-LD',
  'x12-856': 'X12 856 ship notice',
  'csv-t3': 'CSV, lot-level T3',
  'csv-fsma': 'CSV, FSMA 204 KDEs',
};

export const formatLabel = (format: string): string => FORMAT_LABEL[format] ?? format;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
