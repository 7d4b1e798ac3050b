import { approvalsProcedures } from './procedures/approvals';
import { arcosProcedures } from './procedures/arcos';
import { authProcedures } from './procedures/auth';
import { countsProcedures } from './procedures/counts';
import { demoProcedures } from './procedures/demo';
import { disposalsProcedures } from './procedures/disposals';
import { foldersProcedures } from './procedures/folders';
import { ingestProcedures } from './procedures/ingest';
import { inventoryProcedures } from './procedures/inventory';
import { ordersProcedures } from './procedures/orders';
import { keysProcedures } from './procedures/keys';
import { ledgerProcedures } from './procedures/ledger';
import { partnersProcedures } from './procedures/partners';
import { productsProcedures } from './procedures/products';
import { quarantineProcedures } from './procedures/quarantine';
import { receivingProcedures } from './procedures/receiving';
import { requestsProcedures } from './procedures/requests';
import { reportsProcedures } from './procedures/reports';
import { setupProcedures } from './procedures/setup';
import { usersProcedures } from './procedures/users';
import { syncProcedures } from './procedures/sync';
import { systemProcedures } from './procedures/system';
import { traceProcedures } from './procedures/trace';

/** The whole API: every procedure any UI, script or test may call, by name. */
export const contract = {
  ...systemProcedures,
  ...ledgerProcedures,
  ...keysProcedures,
  ...authProcedures,
  ...setupProcedures,
  ...usersProcedures,
  ...productsProcedures,
  ...inventoryProcedures,
  ...ordersProcedures,
  ...approvalsProcedures,
  ...countsProcedures,
  ...disposalsProcedures,
  ...ingestProcedures,
  ...partnersProcedures,
  ...foldersProcedures,
  ...syncProcedures,
  ...quarantineProcedures,
  ...receivingProcedures,
  ...requestsProcedures,
  ...traceProcedures,
  ...reportsProcedures,
  ...arcosProcedures,
  ...demoProcedures,
};

export type Contract = typeof contract;
export type Method = keyof Contract & string;

export { ApiError, apiErrorSchema, type ApiErrorValue, type Result } from './errors';
export type { AppEvent } from './events';
export type { InputOf, OutputOf } from './contract';
