import { z } from 'zod';

/*
 * The one canonical EPCIS event model. Every reader (EPCIS 1.2 XML, 2.0 XML, 2.0 JSON / JSON-LD) lands here,
 * every writer starts here, and the CBV 2.0 event hash is computed from here.
 *
 * Canonical forms (chosen so that the same event has one representation whatever the partner sent):
 * - Identifiers (EPCs, parentID, epcClass, readPoint/bizLocation ids, source/destination, bizTransaction ids
 *   that are GS1 keys): the canonical GS1 Digital Link URI on https://id.gs1.org (CBV 2.0 §8.9 rule 9 hashes
 *   this form). We pick Digital Link rather than the EPC URN because it can always be computed from either
 *   input form, while Digital Link -> URN needs the GS1 Company Prefix length, which a DL does not carry.
 *   Identifiers that have no Digital Link (urn:epc:id:bic, urn:uuid, partner URIs) are kept verbatim, trimmed.
 * - CBV vocabulary (bizStep, disposition, persistentDisposition, bizTransaction/source/destination type,
 *   error reason, sensor component): the full CBV 2.0 web URI, e.g. https://ref.gs1.org/cbv/BizStep-receiving,
 *   whether the input said "receiving", "urn:epcglobal:cbv:bizstep:receiving", "cbv:BizStep-receiving" or the
 *   web URI. GS1 web vocabulary (sensor type, exception) is the full https://gs1.org/voc/ URI. Values that
 *   are not standard vocabulary (urn:gs1:epcisapp:rail:btt:passage, partner URIs) are kept verbatim.
 * - Timestamps: UTC with "Z" and at least millisecond precision ("2020-03-04T10:00:30.000Z"); extra
 *   sub-millisecond digits are kept (trailing zeros beyond the third removed). The offset the partner
 *   wrote survives as eventTimeZoneOffset, which the standard requires separately.
 * - Quantities and sensor numbers: JavaScript numbers (1, 1.0 and 1.00 are the same value).
 * - User extensions: namespace IRI + local name (never a prefix, which is a property of one file), in
 *   document order, nested; leaf values as strings (XML has no types; JSON numbers and booleans are
 *   written as their JSON text). The prefixes a document declared are kept at document level so a
 *   writer can reuse them.
 */

export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export const eventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventTypeSchema>;

export const actionSchema = z.enum(['ADD', 'OBSERVE', 'DELETE']);
export type Action = z.infer<typeof actionSchema>;

/** RFC 3339 instant as stored in the model: UTC, "Z", at least 3 fractional digits. */
export const canonicalTimeSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,}Z$/,
    'expected a UTC timestamp like 2020-03-04T10:00:30.000Z',
  );

/** EPCIS 2.0 eventTimeZoneOffset: ±hh:mm (the XSD pattern; "Z" is not allowed). */
export const timeZoneOffsetSchema = z
  .string()
  .regex(/^[+-]([01]\d|2[0-3]):[0-5]\d$/, 'expected a time zone offset like +01:00 or -05:00');

/** An absolute URI (identifier or vocabulary value) after canonicalisation. */
export const uriSchema = z
  .string()
  .min(1)
  .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'expected an absolute URI (scheme:...)');

/** A namespaced XML attribute on a user extension element (XML only; see writers for JSON-LD). */
export const extensionAttributeSchema = z.object({
  ns: z.string(),
  name: z.string(),
  value: z.string(),
});
export type ExtensionAttribute = z.infer<typeof extensionAttributeSchema>;

/** One user extension element: a leaf with a value or a branch with children, in document order. */
export interface Extension {
  /** Namespace IRI exactly as declared (trailing "/" or "#" kept); "" for an unqualified name. */
  ns: string;
  name: string;
  value?: string;
  children?: Extension[];
  attributes?: ExtensionAttribute[];
}
export const extensionSchema: z.ZodType<Extension> = z.lazy(() =>
  z.object({
    ns: z.string(),
    name: z.string().min(1),
    value: z.string().optional(),
    children: z.array(extensionSchema).optional(),
    attributes: z.array(extensionAttributeSchema).optional(),
  }),
);

export const quantityElementSchema = z.object({
  epcClass: uriSchema,
  quantity: z.number().finite().nonnegative().optional(),
  uom: z.string().min(1).optional(),
});
export type QuantityElement = z.infer<typeof quantityElementSchema>;

export const bizTransactionSchema = z.object({
  type: uriSchema.optional(),
  bizTransaction: uriSchema,
});
export type BizTransaction = z.infer<typeof bizTransactionSchema>;

export const sourceSchema = z.object({ type: uriSchema, source: uriSchema });
export const destinationSchema = z.object({ type: uriSchema, destination: uriSchema });
export type Source = z.infer<typeof sourceSchema>;
export type Destination = z.infer<typeof destinationSchema>;

/** readPoint / bizLocation: an id plus any extensions the partner put inside (EPCIS 2.0 §7.3.5). */
export const locationSchema = z.object({
  id: uriSchema,
  extensions: z.array(extensionSchema).optional(),
});
export type Location = z.infer<typeof locationSchema>;

export const persistentDispositionSchema = z.object({
  set: z.array(uriSchema).optional(),
  unset: z.array(uriSchema).optional(),
});

export const sensorMetadataSchema = z.object({
  time: canonicalTimeSchema.optional(),
  startTime: canonicalTimeSchema.optional(),
  endTime: canonicalTimeSchema.optional(),
  deviceID: uriSchema.optional(),
  deviceMetadata: uriSchema.optional(),
  rawData: uriSchema.optional(),
  dataProcessingMethod: uriSchema.optional(),
  bizRules: uriSchema.optional(),
  extensions: z.array(extensionSchema).optional(),
});
export type SensorMetadata = z.infer<typeof sensorMetadataSchema>;

export const sensorReportSchema = z.object({
  type: z.string().optional(),
  exception: z.string().optional(),
  deviceID: uriSchema.optional(),
  deviceMetadata: uriSchema.optional(),
  rawData: uriSchema.optional(),
  dataProcessingMethod: uriSchema.optional(),
  time: canonicalTimeSchema.optional(),
  microorganism: z.string().optional(),
  chemicalSubstance: z.string().optional(),
  value: z.number().finite().optional(),
  component: z.string().optional(),
  stringValue: z.string().optional(),
  booleanValue: z.boolean().optional(),
  hexBinaryValue: z.string().optional(),
  uriValue: z.string().optional(),
  minValue: z.number().finite().optional(),
  maxValue: z.number().finite().optional(),
  meanValue: z.number().finite().optional(),
  sDev: z.number().finite().optional(),
  percRank: z.number().finite().optional(),
  percValue: z.number().finite().optional(),
  uom: z.string().optional(),
  coordinateReferenceSystem: z.string().optional(),
  extensions: z.array(extensionSchema).optional(),
});
export type SensorReport = z.infer<typeof sensorReportSchema>;

/** Sensor report fields in CBV 2.0 §8.9 hash order; readers and writers share this list. */
export const SENSOR_REPORT_FIELDS = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
] as const;
export const SENSOR_METADATA_FIELDS = [
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
] as const;

export const sensorElementSchema = z.object({
  sensorMetadata: sensorMetadataSchema.optional(),
  sensorReport: z.array(sensorReportSchema),
  extensions: z.array(extensionSchema).optional(),
});
export type SensorElement = z.infer<typeof sensorElementSchema>;

export const errorDeclarationSchema = z.object({
  declarationTime: canonicalTimeSchema,
  reason: uriSchema.optional(),
  correctiveEventIDs: z.array(z.string().min(1)).optional(),
  extensions: z.array(extensionSchema).optional(),
});
export type ErrorDeclaration = z.infer<typeof errorDeclarationSchema>;

/**
 * One EPCIS event of any of the five types. Fields that belong to only some types are optional here;
 * which ones are required or allowed per type is checked in validate.ts (EPCIS 2.0 §7.4).
 */
export const epcisEventSchema = z.object({
  type: eventTypeSchema,
  eventTime: canonicalTimeSchema,
  eventTimeZoneOffset: timeZoneOffsetSchema,
  recordTime: canonicalTimeSchema.optional(),
  eventID: z.string().min(1).optional(),
  certificationInfo: z.array(z.string().min(1)).optional(),
  errorDeclaration: errorDeclarationSchema.optional(),
  parentID: uriSchema.optional(),
  epcList: z.array(uriSchema).optional(),
  childEPCs: z.array(uriSchema).optional(),
  inputEPCList: z.array(uriSchema).optional(),
  outputEPCList: z.array(uriSchema).optional(),
  quantityList: z.array(quantityElementSchema).optional(),
  childQuantityList: z.array(quantityElementSchema).optional(),
  inputQuantityList: z.array(quantityElementSchema).optional(),
  outputQuantityList: z.array(quantityElementSchema).optional(),
  action: actionSchema.optional(),
  transformationID: uriSchema.optional(),
  bizStep: uriSchema.optional(),
  disposition: uriSchema.optional(),
  persistentDisposition: persistentDispositionSchema.optional(),
  readPoint: locationSchema.optional(),
  bizLocation: locationSchema.optional(),
  bizTransactionList: z.array(bizTransactionSchema).optional(),
  sourceList: z.array(sourceSchema).optional(),
  destinationList: z.array(destinationSchema).optional(),
  sensorElementList: z.array(sensorElementSchema).optional(),
  ilmd: z.array(extensionSchema).optional(),
  /** Top-level user extensions, in document order. */
  extensions: z.array(extensionSchema).optional(),
});
export type EpcisEvent = z.infer<typeof epcisEventSchema>;

/* ---------------- document-level data ---------------- */

/** One attribute of a master-data vocabulary element; nested XML content is kept as extensions. */
export const vocabularyAttributeSchema = z.object({
  id: z.string().min(1),
  value: z.string().optional(),
  children: z.array(extensionSchema).optional(),
});
export type VocabularyAttribute = z.infer<typeof vocabularyAttributeSchema>;

export const vocabularyElementSchema = z.object({
  id: z.string().min(1),
  attributes: z.array(vocabularyAttributeSchema),
  children: z.array(z.string()).optional(),
});
export type VocabularyElement = z.infer<typeof vocabularyElementSchema>;

export const vocabularySchema = z.object({
  /** e.g. urn:epcglobal:epcis:vtype:EPCClass, urn:epcglobal:epcis:vtype:BusinessLocation */
  type: z.string().min(1),
  elements: z.array(vocabularyElementSchema),
});
export type Vocabulary = z.infer<typeof vocabularySchema>;

/**
 * Product master data as the GS1 US DSCSA guideline carries it in the EPCISHeader (EPCClass vocabulary,
 * CBV Master Data attributes urn:epcglobal:cbv:mda#...). Derived from the vocabulary; the vocabulary stays
 * the source of truth.
 */
export const productMasterDataSchema = z.object({
  epcClass: z.string(),
  ndc: z.string().optional(),
  additionalTradeItemIdentifications: z.array(z.object({ type: z.string().optional(), value: z.string() })),
  regulatedProductName: z.string().optional(),
  manufacturerOfTradeItemPartyName: z.string().optional(),
  dosageFormType: z.string().optional(),
  strengthDescription: z.string().optional(),
  netContentDescription: z.string().optional(),
  lotNumber: z.string().optional(),
  itemExpirationDate: z.string().optional(),
});
export type ProductMasterData = z.infer<typeof productMasterDataSchema>;

export const locationMasterDataSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  streetAddressOne: z.string().optional(),
  streetAddressTwo: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().optional(),
});
export type LocationMasterData = z.infer<typeof locationMasterDataSchema>;

/** Standard Business Document Header (GS1 SBDH 1.3) as used by the GS1 US DSCSA guideline. */
export const sbdhPartySchema = z.object({
  identifier: z.string(),
  authority: z.string().optional(),
  contactName: z.string().optional(),
});
export const sbdhSchema = z.object({
  headerVersion: z.string().optional(),
  sender: z.array(sbdhPartySchema),
  receiver: z.array(sbdhPartySchema),
  standard: z.string().optional(),
  typeVersion: z.string().optional(),
  instanceIdentifier: z.string().optional(),
  documentType: z.string().optional(),
  creationDateAndTime: z.string().optional(),
});
export type Sbdh = z.infer<typeof sbdhSchema>;

export const epcisDocumentSchema = z.object({
  /** capture = EPCISDocument; query = EPCISQueryDocument (query results); masterData = EPCISMasterDataDocument. */
  kind: z.enum(['capture', 'query', 'masterData']),
  format: z.enum(['xml', 'json']),
  /** 1.x or 2.x, from the XML namespace or the JSON document. */
  epcisVersion: z.enum(['1', '2']),
  schemaVersion: z.string().optional(),
  creationDate: z.string().optional(),
  documentId: z.string().optional(),
  /** Prefixes declared in the document (XML xmlns, JSON-LD @context), kept so writers can reuse them. */
  namespaces: z.record(z.string(), z.string()),
  sbdh: sbdhSchema.optional(),
  /** JSON-LD sender/receiver/instanceIdentifier at document level (EPCIS 2.0 JSON binding). */
  sender: z.string().optional(),
  receiver: z.string().optional(),
  instanceIdentifier: z.string().optional(),
  /** Extensions in the EPCISHeader, e.g. the GS1 US DSCSA transaction statement (gs1ushc:...). */
  headerExtensions: z.array(extensionSchema).optional(),
  masterData: z.array(vocabularySchema),
  products: z.array(productMasterDataSchema),
  locations: z.array(locationMasterDataSchema),
  /**
   * Extension fields a repository asked to leave out of the event hash ("<prefix>:ignoreFields" at
   * document level), in {namespace}localName form. Not part of EPCIS/CBV; only the reference-order
   * hash honours it, because the official vectors depend on it.
   */
  hashIgnoreFields: z.array(z.string()).optional(),
  queryName: z.string().optional(),
  subscriptionID: z.string().optional(),
  eventCount: z.number().int().nonnegative(),
});
export type EpcisDocument = z.infer<typeof epcisDocumentSchema>;

/** Where a record sits in its file: line/column for XML, a JSON pointer for JSON. */
export const sourcePositionSchema = z.object({
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  pointer: z.string().optional(),
});
export type SourcePosition = z.infer<typeof sourcePositionSchema>;

export function describePosition(position: SourcePosition): string {
  if (position.pointer !== undefined) return `at ${position.pointer}`;
  if (position.line !== undefined) {
    return `at line ${position.line}${position.column !== undefined ? `, column ${position.column}` : ''}`;
  }
  return 'at an unknown position';
}
