/** Workflow definitions registered with the worker. Only workflow functions may be exported here. */
export { payPeriod } from './pay-period.js';
