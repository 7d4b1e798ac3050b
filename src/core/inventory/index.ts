/** The controlled-substance perpetual inventory: transactions, balances, signatures. */
export { inventoryHandlers, type LastCount } from './handlers';
export {
  addDays,
  balanceMilli,
  insertSignature,
  INVENTORY_ENTRY,
  listTransactions,
  projectInventory,
  signaturesOf,
  transactionRow,
  transactionView,
} from './projection';
export { checkOrderNumber } from './order-number';
export { fromMilli, toMilli } from './quantity';
export {
  checkWitnesses,
  InventoryService,
  recordTransaction,
  ruleViolation,
  type PostedInput,
} from './service';
