/** Receiving: scanning packages against the transaction data, exceptions and investigations. */
export { receivingHandlers } from './handlers';
export { parseReceivingScan } from './service';
export { form3911Worksheet, FORM3911_ENTRY, type Form3911Source, type Form3911Worksheet } from './form3911';
export { FORM_3911_ITEMS, FORM_3911_LAYOUT } from './form3911-items';
export { projectForm3911 } from './notifications';
export { projectFindings } from './findings';
