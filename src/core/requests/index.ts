/** Records requests from FDA, officials and trading partners, and their deadlines. */
export { requestsHandlers } from './handlers';
export { projectRequests } from './store';
export { statutoryDeadline, deadlineInForce } from './deadline';
