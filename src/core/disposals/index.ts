/** Theft/loss incidents (DEA Form 106) and destructions (DEA Form 41), several NDCs each. */
export { form106Deadlines } from './deadlines';
export { checkForm41Count, formatQuantity, totalWithUnit } from './form41';
export { disposalsHandlers } from './handlers';
export { DISPOSAL_ENTRY, projectDisposals } from './projection';
export { DisposalService } from './service';
export { destructionSubject, incidentSubject, type DestructionSubject, type IncidentSubject } from './store';
