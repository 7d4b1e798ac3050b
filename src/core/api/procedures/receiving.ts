import { z } from 'zod';
import { procedure } from '../contract';
import { closureSignatureSchema, signingPasswordSchema } from './quarantine';

export const exceptionKindSchema = z.enum([
  'no-data-received',
  'product-without-data',
  'data-without-product',
  'over-shipment',
  'under-shipment',
  'lot-mismatch',
  'expiry-mismatch',
  'wrong-serial',
  'wrong-ship-to',
  'damaged',
  'suspect',
]);
export const illegitimateClassSchema = z.enum([
  'counterfeit',
  'diverted',
  'stolen',
  'intentional-adulteration',
  'unfit-for-distribution',
  'fraudulent-transaction',
]);

const productSchema = z.object({
  kind: z.enum(['package', 'case', 'logistic-unit', 'lot']),
  gtin: z.string().optional(),
  lot: z.string().optional(),
  expiry: z.string().optional(),
  sscc: z.string().optional(),
  hasSerial: z.boolean(),
  productName: z.string().optional(),
  /** DEA schedule when a controlled substance: record the signed receipt with inventory.record (kind "receipt"). */
  schedule: z.string().optional(),
  ndc: z.string().optional(),
});

/** A shipment as people name it: its ASN or invoice number and seller, with the row id for links. */
const shipmentRefSchema = z.object({
  id: z.number().int(),
  document: z.string(),
  seller: z.string().nullable(),
  date: z.string().nullable(),
});

export const scanResultSchema = z.object({
  /** choose-shipment: several open shipments list this product and lot; scan again with shipmentId. */
  verdict: z.enum(['accepted', 'exception', 'duplicate', 'unreadable', 'choose-shipment']),
  message: z.string(),
  product: productSchema.optional(),
  exception: z.object({ id: z.number().int(), kind: exceptionKindSchema, advice: z.string() }).optional(),
  investigationId: z.number().int().optional(),
  shipmentId: z.number().int().nullable(),
  shipment: shipmentRefSchema.optional(),
  candidates: z.array(shipmentRefSchema.extend({ remaining: z.number().int() })).optional(),
  dating: z.object({ status: z.enum(['expired', 'short-dated']), days: z.number().int() }).optional(),
  /** Packages: a tote or case counts as the packages inside it. */
  units: z.number().int(),
});

const shipmentSchema = z.object({
  id: z.number().int(),
  seller: z.string().nullable(),
  sellerName: z.string().nullable(),
  shipTo: z.string().nullable(),
  shipToName: z.string().nullable(),
  transactionDate: z.string().nullable(),
  reference: z.string().nullable(),
  statement: z.boolean(),
  status: z.enum(['open', 'receiving', 'received', 'exceptions']),
  items: z.number().int(),
  units: z.number().int(),
  receivedUnits: z.number().int(),
  file: z.string(),
});

const exceptionSchema = z.object({
  id: z.number().int(),
  sessionId: z.number().int().nullable(),
  shipmentId: z.number().int().nullable(),
  shipment: shipmentRefSchema.nullable(),
  kind: exceptionKindSchema,
  advice: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  openedMs: z.number().int(),
  resolution: z.string().nullable(),
  /** The resolver's electronic signature (21 CFR 11.50); absent on exceptions resolved before signing was required. */
  signature: closureSignatureSchema.optional(),
});

const clockSchema = z.object({
  name: z.string(),
  dueMs: z.number(),
  basis: z.string(),
  statutory: z.boolean(),
  met: z.boolean().nullable(),
});

export const form3911Schema = z.object({
  typeOfReport: z.literal('Initial'),
  incidentNumber: z.null(),
  dateOfInitialNotification: z.null(),
  dateDeterminedIllegitimate: z.string(),
  classification: illegitimateClassSchema,
  productName: z.string().nullable(),
  primaryIngredients: z.string().nullable(),
  drugUse: z.null(),
  drugDescription: z.null(),
  strength: z.string().nullable(),
  dosageForm: z.string().nullable(),
  quantity: z.object({ number: z.number(), unit: z.string() }),
  ndc: z.string().nullable(),
  serialNumbers: z.array(z.string()),
  lotNumbers: z.array(z.string()),
  expirationDates: z.array(z.string()),
  description: z.string(),
  terminationReason: z.null(),
  otherReportingMechanisms: z.array(z.string()),
});

export const notificationTypeSchema = z.enum(['initial', 'follow-up', 'termination']);
const partnerNotifiedSchema = z.object({
  name: z.string().trim().min(1).max(200),
  notifiedMs: z.number().int().positive(),
  how: z.string().trim().min(1).max(200),
});

/** A Form FDA 3911 worksheet: each item of the current form with its number, label and value. */
export const form3911WorksheetSchema = z.object({
  layout: z.string(),
  investigation: z.number().int(),
  notification: z.number().int().nullable(),
  type: notificationTypeSchema,
  items: z.array(
    z.object({
      item: z.number().int(),
      label: z.string(),
      field: z.string(),
      value: z.string(),
      confirmed: z.enum(['V', 'P']),
    }),
  ),
  notes: z.array(z.string()),
  partnersNotified: z.array(partnerNotifiedSchema),
  notifications: z.array(
    z.object({ notification: z.number().int(), type: notificationTypeSchema, notifiedMs: z.number().int() }),
  ),
});

const notificationSummarySchema = z.object({
  notification: z.number().int(),
  type: notificationTypeSchema,
  notifiedMs: z.number().int(),
  partnersNotified: z.array(partnerNotifiedSchema),
  signature: closureSignatureSchema,
});

/** An answer to a verification request: who was asked (manufacturer, seller, VRS) and what they said. */
const verificationAnswerSchema = z.object({
  asked: z.string().trim().min(1).max(200),
  answer: z.string().trim().min(1).max(2000),
  receivedMs: z.number().int().positive().optional(),
});

const investigationSchema = z.object({
  id: z.number().int(),
  status: z.enum(['open', 'cleared', 'illegitimate']),
  reason: z.string(),
  gtin: z.string().nullable(),
  lot: z.string().nullable(),
  expiry: z.string().nullable(),
  productName: z.string().nullable(),
  exceptionId: z.number().int().nullable(),
  openedMs: z.number().int(),
  determinedMs: z.number().int().nullable(),
  clocks: z.array(clockSchema),
  outcome: z
    .object({
      outcome: z.string(),
      description: z.string(),
      classification: illegitimateClassSchema.optional(),
      form3911: form3911Schema.optional(),
      signature: closureSignatureSchema.optional(),
    })
    .nullable(),
  /** Form FDA 3911 notifications recorded as sent, and the incident number FDA assigned. */
  notifications: z.array(notificationSummarySchema),
  incidentNumber: z.string().nullable(),
  /** Findings recorded while it was open, oldest first, by the person's name. */
  findings: z.array(
    z.object({
      seq: z.number().int(),
      recordedBy: z.string(),
      recordedByName: z.string(),
      recordedMs: z.number().int(),
      checked: z.array(z.string()),
      photos: z.array(z.string()),
      verifications: z.array(verificationAnswerSchema),
      notes: z.string().optional(),
    }),
  ),
});

const id = z.object({ id: z.number().int().positive() }).strict();

/** Packages of one product, lot and expiry (quantity in packages: a tote counts its contents). */
const packagesSchema = z.object({
  gtin: z.string().nullable(),
  ndc: z.string().nullable(),
  productName: z.string().nullable(),
  strength: z.string().nullable(),
  dosageForm: z.string().nullable(),
  lot: z.string().nullable(),
  expiry: z.string().nullable(),
  quantity: z.number().int(),
});

export const receivingProcedures = {
  'receiving.shipments': procedure({
    summary:
      'Shipments whose transaction data was received (EPCIS, X12 856, T3 sheets), with received units.',
    permission: 'ledger.read',
    input: z
      .object({
        status: z.enum(['open', 'receiving', 'received', 'exceptions']).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict()
      .optional(),
    output: z.object({ shipments: z.array(shipmentSchema) }),
  }),
  'receiving.shipment': procedure({
    summary: 'One shipment: its transaction information and statement, and each line with what was received.',
    permission: 'ledger.read',
    input: id,
    output: shipmentSchema.extend({
      statementText: z.string().nullable(),
      lines: z.array(
        packagesSchema.extend({
          id: z.number().int(),
          kind: z.string(),
          received: z.number().int(),
          /** What a tote or case holds, by product, lot and expiry. */
          contents: z.array(packagesSchema),
        }),
      ),
    }),
  }),
  'receiving.openSession': procedure({
    summary: 'Starts receiving (optionally a given shipment, at a location GLN).',
    permission: 'receiving.write',
    input: z
      .object({
        shipmentId: z.number().int().positive().optional(),
        location: z
          .string()
          .regex(/^\d{13}$/)
          .optional(),
      })
      .strict(),
    output: z.object({ sessionId: z.number().int() }),
  }),
  'receiving.scan': procedure({
    summary:
      'Checks a scanned 2D barcode or SSCC (keyboard-wedge element string with GS separators) against the transaction data: accept, or open the exception of the right kind.',
    permission: 'receiving.write',
    input: z
      .object({
        sessionId: z.number().int().positive(),
        scan: z.string().min(1).max(500),
        /** The shipment the person chose after a 'choose-shipment' answer. */
        shipmentId: z.number().int().positive().optional(),
      })
      .strict(),
    output: scanResultSchema,
  }),
  'receiving.damaged': procedure({
    summary: 'Reports a damaged package or case (scanned or not): a damaged exception.',
    permission: 'receiving.write',
    input: z
      .object({
        sessionId: z.number().int().positive(),
        scan: z.string().min(1).max(500).optional(),
        note: z.string().trim().min(1).max(2000),
      })
      .strict(),
    output: scanResultSchema,
  }),
  'receiving.closeSession': procedure({
    summary: 'Ends receiving; data without product and under-shipments become exceptions.',
    permission: 'receiving.write',
    input: z.object({ sessionId: z.number().int().positive() }).strict(),
    output: z.object({
      /** Exceptions the finish itself opened (short or missing lines). */
      exceptions: z.array(z.object({ id: z.number().int(), kind: exceptionKindSchema })),
      /** Every exception still open from this session or on its shipment: a clean finish has none. */
      open: z.array(
        z.object({ id: z.number().int(), kind: exceptionKindSchema, shipment: shipmentRefSchema.nullable() }),
      ),
      /** Packages accepted in this session. */
      accepted: z.number().int(),
    }),
  }),
  'receiving.exceptions': procedure({
    summary: 'Receiving exceptions, newest first.',
    permission: 'ledger.read',
    input: z
      .object({ status: z.enum(['open', 'resolved']).optional() })
      .strict()
      .optional(),
    output: z.object({ exceptions: z.array(exceptionSchema) }),
  }),
  'receiving.exception': procedure({
    summary:
      'One receiving exception with the serial number of the package scanned (sealed data: opening it is recorded).',
    permission: 'ledger.read',
    input: id,
    output: exceptionSchema.extend({ serial: z.string().nullable() }),
  }),
  'receiving.resolveException': procedure({
    summary:
      'Records how an exception was resolved (corrected data received, product returned, …), signed with your password (meaning "resolved receiving exception: <how>").',
    permission: 'receiving.write',
    input: z
      .object({
        id: z.number().int().positive(),
        resolution: z.string().trim().min(5).max(2000),
        password: signingPasswordSchema,
      })
      .strict(),
    output: exceptionSchema,
  }),
  'receiving.investigations': procedure({
    summary: 'Suspect-product investigations with their clocks.',
    permission: 'ledger.read',
    input: z
      .object({ status: z.enum(['open', 'cleared', 'illegitimate']).optional() })
      .strict()
      .optional(),
    output: z.object({ investigations: z.array(investigationSchema) }),
  }),
  'receiving.investigation': procedure({
    summary: 'One investigation, with its clocks and, for an illegitimate outcome, the Form FDA 3911 draft.',
    permission: 'ledger.read',
    input: id,
    output: investigationSchema,
  }),
  'receiving.openInvestigation': procedure({
    summary: 'Quarantines a product and opens a suspect-product investigation (FD&C Act §582(d)(4)).',
    permission: 'receiving.write',
    input: z
      .object({
        exceptionId: z.number().int().positive().optional(),
        gtin: z
          .string()
          .regex(/^\d{14}$/)
          .optional(),
        lot: z.string().max(20).optional(),
        expiry: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        reason: z.string().trim().min(5).max(2000),
      })
      .strict(),
    output: investigationSchema,
  }),
  'receiving.recordFindings': procedure({
    summary:
      'Records what was found while investigating a suspect product (what was checked, photos described, verification answers, notes), for the pharmacist who decides the outcome.',
    permission: 'receiving.write',
    input: z
      .object({
        id: z.number().int().positive(),
        checked: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
        photos: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
        verifications: z.array(verificationAnswerSchema).max(20).default([]),
        notes: z.string().trim().max(4000).optional(),
      })
      .strict(),
    output: investigationSchema,
  }),
  'receiving.closeInvestigation': procedure({
    summary:
      'Records the outcome, signed electronically by the signed-in person re-entering their password: cleared (released from quarantine) or illegitimate (Form FDA 3911 data prepared).',
    permission: 'inventory.approve',
    input: z
      .object({
        id: z.number().int().positive(),
        password: signingPasswordSchema,
        outcome: z.enum(['cleared', 'illegitimate']),
        description: z.string().trim().min(5).max(4000),
        classification: illegitimateClassSchema.optional(),
        quantity: z.number().int().positive().optional(),
      })
      .strict(),
    output: investigationSchema,
  }),
  'receiving.form3911': procedure({
    summary:
      'The Form FDA 3911 worksheet of an investigation closed as illegitimate: every item of the current form, numbered, for one notification (the latest, or a draft initial one).',
    permission: 'ledger.read',
    input: z
      .object({
        id: z.number().int().positive(),
        notification: z.number().int().positive().optional(),
        /** Dates a draft in this zone (a recorded notification carries its own). */
        timeZone: z.string().max(64).optional(),
      })
      .strict(),
    output: form3911WorksheetSchema,
  }),
  'receiving.recordNotification': procedure({
    summary:
      'Records a Form FDA 3911 (initial, follow-up or request for termination) as sent to FDA, signed by the signed-in person re-entering their password: when, the quantity, the partners notified, the contact.',
    permission: 'inventory.approve',
    input: z
      .object({
        id: z.number().int().positive(),
        password: signingPasswordSchema,
        type: notificationTypeSchema,
        notifiedMs: z.number().int().positive(),
        timeZone: z.string().trim().min(1).max(64),
        geographicLocation: z.string().trim().min(2).max(400),
        quantity: z.object({
          number: z.number().int().positive(),
          unit: z.string().trim().min(1).max(40),
        }),
        primaryIngredients: z.string().trim().max(400).optional(),
        drugUse: z.string().trim().max(100).optional(),
        drugDescription: z.string().trim().max(100).optional(),
        dosageForm: z.string().trim().max(100).optional(),
        description: z.string().trim().max(8000).optional(),
        terminationReason: z.string().trim().max(8000).optional(),
        otherMechanisms: z
          .array(z.enum(['BPDR', 'MedWatch 3500', 'MedWatch 3500A', 'FAR', 'None', 'Other']))
          .min(1)
          .max(6),
        otherMechanismsSpecify: z.string().trim().max(200).optional(),
        partnersNotified: z.array(partnerNotifiedSchema).max(50),
        contact: z.object({
          name: z.string().trim().min(1).max(200),
          title: z.string().trim().max(200).optional(),
          phone: z.string().trim().min(3).max(40),
          email: z
            .string()
            .trim()
            .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')
            .max(200),
        }),
      })
      .strict(),
    output: form3911WorksheetSchema,
  }),
  'receiving.recordIncidentNumber': procedure({
    summary: "Records the incident number in FDA's acknowledgement of the initial Form FDA 3911.",
    permission: 'inventory.approve',
    input: z
      .object({
        id: z.number().int().positive(),
        incidentNumber: z.string().trim().min(1).max(40),
        receivedMs: z.number().int().positive(),
      })
      .strict(),
    output: investigationSchema,
  }),
};
