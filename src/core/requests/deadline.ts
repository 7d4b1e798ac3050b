import { endOfBusinessDays } from '../calendar';

/*
 * When the answer to a records request is due (research reg-formats.md §7.1 and §8.3 with
 * reg-formats-update.md §7 and §8, checked against the statute and regulation text):
 *
 * - FSMA 204, 21 CFR 1.1455(c)(3): within 24 hours of the request (a request by phone starts the
 *   clock when it is made, (c)(3)(i)), "or within some reasonable time to which FDA has agreed".
 * - DSCSA, FD&C Act §582: upon a request by the Secretary or another appropriate Federal or State
 *   official, in a recall or to investigate suspect or illegitimate product,
 *   - a manufacturer, (b)(1)(B), and a wholesale distributor, (c)(1)(C): "not later than 1 business
 *     day, and not to exceed 48 hours, after receiving the request";
 *   - a dispenser, (d)(1)(D): "not later than 2 business days after receiving the request";
 *   each "or in other such reasonable time as determined by the Secretary".
 *
 * How Custodia counts a business day: a day Monday to Friday on which no US federal holiday is
 * observed (calendar/holidays.ts), in the time zone where the request was received. The day the
 * request arrives never counts; the answer is due by the end of the Nth business day after it, and
 * for 48-hour rules no later than 48 hours after receipt, whichever comes first. An agreed time,
 * once recorded, replaces the computed one.
 */

export const REQUEST_REGIMES = ['fsma-204', 'dscsa'] as const;
export type RequestRegime = (typeof REQUEST_REGIMES)[number];

export const DSCSA_RESPONDENTS = ['manufacturer', 'wholesaler', 'dispenser'] as const;
export type DscsaRespondent = (typeof DSCSA_RESPONDENTS)[number];

export interface DeadlineInput {
  readonly regime: RequestRegime;
  /** Who answers, for DSCSA (the registrant's role in the transaction asked about). */
  readonly respondent?: DscsaRespondent;
  readonly receivedMs: number;
  /** IANA zone where the request was received. */
  readonly timeZone: string;
}

export interface Deadline {
  readonly dueMs: number;
  /** The rule, with its citation, in one line a pharmacist can read. */
  readonly basis: string;
}

const HOUR = 3_600_000;

/** The deadline the law sets for a request received at `receivedMs`. */
export function statutoryDeadline(input: DeadlineInput): Deadline {
  const { receivedMs, timeZone } = input;
  if (input.regime === 'fsma-204') {
    return {
      dueMs: receivedMs + 24 * HOUR,
      basis: '21 CFR 1.1455(c)(3): within 24 hours of the request, or a reasonable time FDA agrees to',
    };
  }
  const respondent = input.respondent ?? 'dispenser';
  if (respondent === 'dispenser') {
    return {
      dueMs: endOfBusinessDays(receivedMs, timeZone, 2),
      basis: 'FD&C Act §582(d)(1)(D): a dispenser answers not later than 2 business days after the request',
    };
  }
  const oneDay = endOfBusinessDays(receivedMs, timeZone, 1);
  const cap = receivedMs + 48 * HOUR;
  const section = respondent === 'manufacturer' ? '§582(b)(1)(B)' : '§582(c)(1)(C)';
  return {
    dueMs: Math.min(oneDay, cap),
    basis: `FD&C Act ${section}: not later than 1 business day, and not to exceed 48 hours, after the request${cap < oneDay ? ' (the 48 hours end first)' : ''}`,
  };
}

/** The deadline in force: an agreed time when one was recorded, else the law's. */
export function deadlineInForce(
  input: DeadlineInput,
  agreed: { readonly dueMs: number; readonly note: string } | null,
): Deadline & { readonly agreed: boolean } {
  if (agreed !== null) {
    return {
      dueMs: agreed.dueMs,
      basis:
        input.regime === 'fsma-204'
          ? `Agreed with FDA, 21 CFR 1.1455(c)(3): ${agreed.note}`
          : `Other reasonable time determined by FDA, FD&C Act §582: ${agreed.note}`,
      agreed: true,
    };
  }
  return { ...statutoryDeadline(input), agreed: false };
}
