/** Dual control: Schedule II transactions approved by a second person. */
export { approvalsHandlers } from './handlers';
export { ApprovalService } from './service';
