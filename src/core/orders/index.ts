/** Schedule I/II orders: DEA Form 222 and CSOS, their fills, cancellations, voids and exceptions. */
export { ordersHandlers } from './handlers';
export {
  LIVE,
  ORDER_EXCEPTION_ADVICE,
  ORDER_VALID_DAYS,
  orderExceptions,
  orderIds,
  orderIdsByNumber,
  orderView,
  projectOrders,
  type OrderReading,
} from './store';
