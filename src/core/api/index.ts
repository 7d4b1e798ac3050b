import { ledgerProcedures } from './procedures/ledger';
import { systemProcedures } from './procedures/system';

/** The whole API: every procedure any UI, script or test may call, by name. */
export const contract = {
  ...systemProcedures,
  ...ledgerProcedures,
};

export type Contract = typeof contract;
export type Method = keyof Contract & string;

export { ApiError, apiErrorSchema, type ApiErrorValue, type Result } from './errors';
export type { AppEvent } from './events';
export type { InputOf, OutputOf } from './contract';
