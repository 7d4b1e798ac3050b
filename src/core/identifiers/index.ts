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
  digitalLinkToEpcUrn,
  epcUrnToDigitalLink,
  epcUrnToElements,
  type DigitalLinkToUrnOptions,
  type EpcUrnOptions,
} from './epc-digital-link';
