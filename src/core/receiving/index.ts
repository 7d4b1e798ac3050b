/** Receiving: scanning packages against the transaction data, exceptions and investigations. */
export { receivingHandlers } from './handlers';
