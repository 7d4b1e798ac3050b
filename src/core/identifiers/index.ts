/** Public API of GS1 and US regulatory identifiers. Every parse returns a Result; none throws on bad input. */
export type { IdentifierError, Result } from './result';
export { gs1CheckDigit } from './check-digit';
export type { AiElement } from './ai-validate';
export { validateAiValue } from './ai-validate';
export { aiEntry, type AiEntry } from './ai-table';
export {
  CANONICAL_DL_STEM,
  parseDigitalLink,
  generateDigitalLink,
  type DigitalLink,
  type DigitalLinkOptions,
} from './digital-link';
export {
  canonicalIdentifier,
  canonicalIdentifierResult,
  type CanonicalIdentifierOptions,
  digitalLinkToEpcUrn,
  epcUrnToDigitalLink,
  epcUrnToElements,
  type DigitalLinkToUrnOptions,
  type EpcUrnOptions,
} from './epc-digital-link';
export {
  parseBracketedElementString,
  parseEncodedAiData,
  parseAiDataString,
  toBracketed,
  toEncoded,
  validateAssociations,
  GS,
} from './element-string';
export { parseScanData, type ScanData, type Symbology } from './scan-data';
export { parseGtin, parseGln, parseSscc, withGs1CheckDigit, type Gtin } from './gs1-keys';
export {
  parseNdc,
  parseNdc11,
  ndcCandidates,
  ndc11Candidates,
  ndcToGtin14,
  gtinToNdcCandidates,
  type Ndc,
  type NdcConfiguration,
} from './ndc';
export { parseDeaNumber, type DeaNumber } from './dea';
export { parseNpi, luhnCheckDigit } from './npi';
export {
  parseAnyIdentifier,
  gs1DateToIso,
  type ProductIdentifier,
  type IdentifierKind,
  type ParseAnyOptions,
} from './product-identifier';
