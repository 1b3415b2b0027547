import { defineSearchAttributeKey } from '@temporalio/common';

/** Custom search attributes of pay period workflows, with their Temporal types. */
export const SEARCH_ATTRIBUTES = {
  IncentraPeriod: 'Keyword',
  IncentraStage: 'Keyword',
} as const;

/** The pay period, `YYYY-MM`. */
export const PERIOD_SEARCH_ATTRIBUTE = defineSearchAttributeKey('IncentraPeriod', 'KEYWORD');

/** The pay period's stage (collecting, calculating, awaiting_approval, ...). */
export const STAGE_SEARCH_ATTRIBUTE = defineSearchAttributeKey('IncentraStage', 'KEYWORD');
