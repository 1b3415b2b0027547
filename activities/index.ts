import { createCalculationActivities } from './calculation.js';
import { createDecisionActivities } from './decisions.js';
import type { ActivityDependencies } from './dependencies.js';
import { createDeliveryActivities } from './delivery.js';
import { createDocumentActivities } from './documents.js';
import { createSapPostingActivities } from './sap-posting.js';
import type { PayPeriodActivities } from './types.js';

export type { ActivityDependencies } from './dependencies.js';

/** Creates the payPeriod workflow's activities over the given dependencies. */
export function createActivities(deps: ActivityDependencies): PayPeriodActivities {
  return {
    ...createCalculationActivities(deps),
    ...createDecisionActivities(deps),
    ...createSapPostingActivities(deps),
    ...createDocumentActivities(deps),
    ...createDeliveryActivities(deps),
  };
}
