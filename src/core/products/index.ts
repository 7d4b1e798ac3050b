/** The products a pharmacy handles (NDC, name, schedule), as other features may use them. */
export { productsHandlers } from './handlers';
export { projectProducts, requireProduct } from './products';
export { isScheduleII, type Schedule } from './schedule';
