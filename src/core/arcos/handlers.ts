import { ApiError } from '../api/errors';
import type { arcosProcedures } from '../api/procedures/arcos';
import type { Handlers } from '../api/router';
import { me, signature, subjectHash, type AuthService } from '../auth';
import { parseDeaNumber } from '../identifiers';
import type { LedgerService } from '../ledger/service';
import { requireProduct } from '../products';
import {
  ARCOS_ENTRY,
  listArcosProducts,
  listSubmissions,
  readArcosSettings,
  submissionForPeriod,
  transactionSeqOf,
  type SubmittedPayload,
  type SubmittedRecord,
} from './store';

/** An ARCOS file as generated here, found by its SHA-256 and rebuilt to prove it (the reports area does it). */
export interface GeneratedArcosFile {
  readonly period: string;
  readonly frequency: 'quarterly' | 'monthly';
  readonly sha256: string;
  readonly fileName: string;
  readonly generationSeq: number;
  readonly checkpointSize: number;
  readonly lines: readonly string[];
  readonly records: readonly SubmittedRecord[];
}

function rule(rule: string, message: string): ApiError {
  return new ApiError('rule-violation', message, { rule });
}

/**
 * fileOf: finds a generated ARCOS file by its SHA-256 and rebuilds it from its checkpoint (passed
 * in by the app: the reports area owns generation, and it reads this area's state).
 */
export function arcosHandlers(
  service: LedgerService,
  auth: AuthService,
  fileOf: (sha256: string) => Promise<GeneratedArcosFile>,
): Handlers<typeof arcosProcedures> {
  return {
    'arcos.overview': () =>
      service.read((s) => ({
        settings: readArcosSettings(s.db),
        products: listArcosProducts(s.db),
        submissions: listSubmissions(s.db),
      })),

    'arcos.setProduct': async (input, call) => {
      const ws = await auth.workspace();
      const actor = me(call).userId;
      return ws.guarded(
        { area: 'arcos', procedure: 'arcos.setProduct', actor, subject: { ndc: input.ndc } },
        (tx) => {
          const product = requireProduct(tx.db, input.ndc);
          const packageSize = input.packageSize ?? product.packageSize;
          if (input.reportable) {
            if (product.schedule === null)
              throw rule(
                'arcos-controlled',
                `${product.name} has no DEA schedule; only controlled substances are reported to ARCOS.`,
              );
            if (input.drugCode === null)
              throw rule(
                'arcos-drug-code',
                `Give ${product.name}'s DEA drug code (four digits, 21 CFR 1308) to report it.`,
              );
            if (!input.bulk && packageSize === null)
              throw rule('arcos-package-size', `ARCOS counts packages: give ${product.name}'s package size.`);
          }
          const stored = { ...input, ndc: product.ndc, packageSize };
          tx.record(ARCOS_ENTRY.productSet, actor, {
            summary: `${product.name} (${product.ndc}) ${input.reportable ? `reportable to ARCOS, drug code ${input.drugCode}` : 'not reported to ARCOS'}`,
            product: stored,
          });
          return stored;
        },
      );
    },

    'arcos.setSettings': async (input, call) => {
      const ws = await auth.workspace();
      const actor = me(call).userId;
      await ws.write((tx) =>
        tx.record(ARCOS_ENTRY.settingsSet, actor, {
          summary: `ARCOS reporting ${input.frequency}${input.documentIdentifier ? `, document identifier ${input.documentIdentifier}` : ''}`,
          settings: input,
        }),
      );
      return input;
    },

    'arcos.setAssociate': async (input, call) => {
      const ws = await auth.workspace();
      const actor = me(call).userId;
      return ws.guarded(
        {
          area: 'arcos',
          procedure: 'arcos.setAssociate',
          actor,
          subject: { transactionId: input.transactionId },
        },
        (tx) => {
          const seq = transactionSeqOf(tx.db, input.transactionId);
          if (seq === undefined)
            throw new ApiError('not-found', `There is no transaction ${input.transactionId}.`);
          if (/^[A-Z]{2}\d{7}$/.test(input.associate)) {
            const dea = parseDeaNumber(input.associate);
            if (!dea.ok)
              throw rule(
                'dea-number',
                `The DEA number ${input.associate} is not valid: ${dea.error.message}.`,
              );
          }
          tx.record(ARCOS_ENTRY.associateSet, actor, {
            summary: `ARCOS associate ${input.associate} for transaction ${seq}`,
            transactionId: input.transactionId,
            transactionSeq: seq,
            associate: input.associate,
            reason: input.reason,
          });
          return { transactionSeq: seq, associate: input.associate };
        },
      );
    },

    'arcos.markSubmitted': async (input, call) => {
      const principal = me(call);
      const file = await fileOf(input.sha256);
      return auth.signedWrite(
        principal,
        input.password,
        {
          area: 'arcos',
          procedure: 'arcos.markSubmitted',
          subject: { sha256: input.sha256, period: file.period },
        },
        (tx, signer) => {
          const earlier = submissionForPeriod(tx.db, file.period);
          if (earlier !== undefined) {
            throw new ApiError(
              'conflict',
              earlier.sha256 === input.sha256
                ? `This file is already marked submitted (ledger entry ${earlier.seq}).`
                : `A file for ${file.period} is already marked submitted (ledger entry ${earlier.seq}); corrections go in the next period's file as adjustments (Handbook, Summary of Reporting Changes).`,
              { rule: 'arcos-submitted-once', seq: earlier.seq },
            );
          }
          const subject = {
            type: 'custodia.arcos-submission/v1',
            period: file.period,
            sha256: file.sha256,
            confirmation: input.confirmation ?? null,
          };
          const hash = subjectHash(subject);
          const corrections = file.records.filter((r) => r.action !== '').length;
          const payload: SubmittedPayload = {
            summary: `ARCOS ${file.period} (${file.records.length} records${corrections ? `, ${corrections} corrections` : ''}) marked submitted to DEA`,
            period: file.period,
            frequency: file.frequency,
            sha256: file.sha256,
            fileName: file.fileName,
            generationSeq: file.generationSeq,
            checkpointSize: file.checkpointSize,
            confirmation: input.confirmation ?? null,
            lines: file.lines,
            records: file.records,
            subjectHash: hash,
            signature: { ...signature(signer, 'submitted', hash, tx.time) },
          };
          const entry = tx.record(
            ARCOS_ENTRY.submitted,
            principal.userId,
            payload as unknown as Record<string, unknown>,
          );
          return {
            seq: entry.seq,
            period: file.period,
            frequency: file.frequency,
            sha256: file.sha256,
            fileName: file.fileName,
            records: file.records.length,
            corrections,
            submittedBy: signer.displayName,
            submittedAt: new Date(tx.time).toISOString(),
            confirmation: input.confirmation ?? null,
          };
        },
      );
    },
  };
}
