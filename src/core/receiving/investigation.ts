import { illegitimateClassSchema } from '../api/procedures/receiving';

/*
 * Suspect and illegitimate product (FD&C Act §582(d)(4); research reg-formats.md §7.2). The clocks
 * shown with an investigation: the statute's 24 hours to notify FDA (Form 3911) and immediate
 * trading partners after determining a product is illegitimate, the 6-year record retention, and the
 * 24-hour/5-day working targets of a common dispenser checklist (not statutory; labelled as such).
 */
export const ILLEGITIMATE_CLASSES = illegitimateClassSchema.options;
export type IllegitimateClass = (typeof ILLEGITIMATE_CLASSES)[number];

export interface Clock {
  readonly name: string;
  readonly dueMs: number;
  readonly basis: string;
  readonly statutory: boolean;
  readonly met: boolean | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function investigationClocks(i: {
  openedMs: number;
  determinedMs: number | null;
  closedMs: number | null;
  status: string;
  notifiedMs?: number | null;
}): Clock[] {
  const clocks: Clock[] = [
    {
      name: 'first review of the suspect product',
      dueMs: i.openedMs + DAY,
      basis: 'working target: 24 hours after quarantine (dispenser checklist, not statutory)',
      statutory: false,
      met: i.closedMs !== null ? i.closedMs <= i.openedMs + DAY : null,
    },
    {
      name: 'investigation determination',
      dueMs: i.openedMs + 5 * DAY,
      basis:
        'working target: 5 days (dispenser checklist, not statutory); FD&C Act §582(d)(4)(A) requires prompt investigation',
      statutory: false,
      met: i.determinedMs !== null ? i.determinedMs <= i.openedMs + 5 * DAY : null,
    },
  ];
  if (i.status === 'illegitimate' && i.determinedMs !== null) {
    clocks.push({
      name: 'notify FDA (Form FDA 3911) and immediate trading partners',
      dueMs: i.determinedMs + DAY,
      basis: 'FD&C Act §582(d)(4)(B)(ii): within 24 hours after determining the product is illegitimate',
      statutory: true,
      met: i.notifiedMs != null ? i.notifiedMs <= i.determinedMs + DAY : null,
    });
  }
  if (i.closedMs !== null) {
    clocks.push({
      name: 'keep the investigation records until',
      dueMs: i.closedMs + Math.round(6 * 365.25 * DAY),
      basis: 'FD&C Act §582(d)(4)(A)(iii), (B)(iv): records kept at least 6 years',
      statutory: true,
      met: null,
    });
  }
  return clocks;
}

/**
 * The Form FDA 3911 data closing an investigation as illegitimate prepares (kept with the outcome).
 * The form itself, numbered in its current layout, is the worksheet of form3911.ts (one item table:
 * form3911-items.ts), rebuilt from the ledger with what each notification sent adds.
 */
export interface Form3911Draft {
  readonly typeOfReport: 'Initial';
  readonly incidentNumber: null;
  readonly dateOfInitialNotification: null;
  readonly dateDeterminedIllegitimate: string;
  readonly classification: IllegitimateClass;
  readonly productName: string | null;
  readonly primaryIngredients: string | null;
  readonly drugUse: null;
  readonly drugDescription: null;
  readonly strength: string | null;
  readonly dosageForm: string | null;
  readonly quantity: { number: number; unit: string };
  readonly ndc: string | null;
  readonly serialNumbers: string[];
  readonly lotNumbers: string[];
  readonly expirationDates: string[];
  readonly description: string;
  readonly terminationReason: null;
  readonly otherReportingMechanisms: string[];
}
