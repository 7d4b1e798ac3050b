/** Cycle and physical counts, discrepancies, Form 106 drafts and sealed inventories. */
export { countsHandlers } from './handlers';
export { projectCounts } from './projection';
export { CountService, lastCount } from './service';
