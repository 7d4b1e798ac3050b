import { z } from 'zod';
import { procedure } from '../contract';
import { principalSchema } from '../principal';
import { passwordSchema, usernameSchema } from './auth';

export const SCHEDULES = ['CI', 'CII', 'CIII', 'CIV', 'CV'] as const;
export const scheduleSchema = z.enum(SCHEDULES);

export const addressSchema = z
  .object({
    line1: z.string().min(1).max(120),
    line2: z.string().max(120).optional(),
    city: z.string().min(1).max(80),
    state: z.string().regex(/^[A-Z]{2}$/, 'two-letter state code'),
    zip: z.string().regex(/^\d{5}(-\d{4})?$/, 'ZIP or ZIP+4'),
  })
  .strict();

/** The registrant as DEA knows it (21 CFR 1304.11(a) and the Form 106/41 registrant blocks). */
export const registrantSchema = z
  .object({
    name: z.string().min(1).max(160),
    address: addressSchema,
    phone: z.string().max(40).optional(),
    /** Checked by its check digit; stored upper-case. */
    deaNumber: z.string().min(9).max(9),
    stateLicense: z.string().min(1).max(40),
    /** GS1 Global Location Numbers of the registered location(s), check digits verified. */
    glns: z.array(z.string().regex(/^\d{13}$/, '13 digits')).max(50),
    businessType: z.enum(['pharmacy', 'distributor']),
    /**
     * Set only by the demo loader (src/core/demo): this ledger holds the fictional demo month. Every
     * page and every report shows DEMO; setup and registrant updates never set or clear it.
     */
    demo: z.literal(true).optional(),
  })
  .strict();
export type Registrant = z.infer<typeof registrantSchema>;

const percent = z.number().min(0).max(100);

export const settingsSchema = z
  .object({
    /** The workstation locks after this many minutes without a call (default 5). */
    idleLockMinutes: z.number().int().min(1).max(60),
    /** Wrong passwords within `lockoutWindowMinutes` before an account locks. */
    lockoutMaxFailures: z.number().int().min(3).max(20),
    lockoutWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    lockoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    /** Count variance (percent of the perpetual balance) that opens a discrepancy, per schedule. */
    varianceThresholdPercent: z.object({
      CI: percent,
      CII: percent,
      CIII: percent,
      CIV: percent,
      CV: percent,
    }),
    /**
     * Receiving flags a package whose expiry (AI 17) falls within this many days as short-dated,
     * and one already past it as expired, at the scan.
     */
    shortDatedDays: z.number().int().min(0).max(730),
    /** The scan station sounds a tone on every exception, for a technician looking at the tote. */
    receivingSound: z.boolean(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const setupProcedures = {
  'setup.status': procedure({
    summary: 'Has this installation been set up (registrant recorded and a first administrator created)?',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: z.object({
      complete: z.boolean(),
      registrant: z.object({ name: z.string(), deaNumber: z.string() }).nullable(),
      /** The ledger's registrant says this is the demo ledger: show DEMO on every page. */
      demo: z.boolean(),
    }),
  }),
  'setup.initialize': procedure({
    summary:
      'First run only: record the registrant and create the first administrator (signed in here). ' +
      'Refused once the installation is set up.',
    permission: 'public',
    input: z
      .object({
        registrant: registrantSchema,
        administrator: z
          .object({
            username: usernameSchema,
            displayName: z.string().min(1).max(120),
            password: passwordSchema,
          })
          .strict(),
      })
      .strict(),
    output: z.object({ principal: principalSchema, registrant: registrantSchema }),
  }),
  'setup.registrant': procedure({
    summary: 'The registrant: name, address, DEA number, state license, GLNs, business type.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: registrantSchema,
  }),
  'setup.updateRegistrant': procedure({
    summary: 'Correct or update the registrant record (a new ledger entry; the old one stays).',
    permission: 'settings.manage',
    input: z.object({ registrant: registrantSchema }).strict(),
    output: registrantSchema,
  }),
  'setup.settings': procedure({
    summary: 'Workstation lock, account lockout and count-variance settings.',
    permission: 'auth.session',
    input: z.object({}).strict().optional(),
    output: settingsSchema,
  }),
  'setup.updateSettings': procedure({
    summary:
      'Change the workstation lock, account lockout, count-variance or receiving (short-dated threshold, exception sound) settings.',
    permission: 'settings.manage',
    input: z.object({ settings: settingsSchema.partial().strict() }).strict(),
    output: settingsSchema,
  }),
};
