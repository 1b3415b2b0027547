import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../config/config.js';
import { parseTaxRuleSet } from '../../domain/tax/rates.js';
import { readSalesforceRecordsFile } from '../../integrations/salesforce/records-file.js';
import { runWhatIf } from '../../integrations/simulation/what-if.js';

const root = projectRoot();

/** A PV campaign for one sales agent from 16 November, as a plan of its own. */
const CAMPAIGN = `id: pv-campaign
name: PV campaign
versions:
  - id: pv-campaign-v1
    version: 1
    effectiveFrom: 2026-11-01
    effectiveTo: 2026-11-30
    definition:
      attributes:
        Campaign_Cod__c: text
      rules:
        - id: pv
          kind: fixed_per_order
          label: PV system sold in the campaign
          categories: [pv]
          amount: "100.00"
          payment: [{ state: validated, share: "1" }]
assignments:
  - partners: [P00200]
    effectiveFrom: 2026-11-16
`;

async function runCampaign() {
  const activeFile = path.join(root, 'examples', 'plans', 'sales-agents.plan.yaml');
  return runWhatIf({
    drafts: [{ file: 'pv-campaign.plan.yaml', text: CAMPAIGN }],
    active: [{ file: activeFile, text: await readFile(activeFile, 'utf8') }],
    records: await readSalesforceRecordsFile(path.join(root, 'examples', 'orders', 'sales-agent.json')),
    period: '2026-11',
    partnerId: 'P00200',
    taxRules: parseTaxRuleSet(await readFile(path.join(root, 'data', 'tax-rates.json'), 'utf8')),
  });
}

describe('what-if with a draft of another plan id', () => {
  it('replaces the active plan on its days only', async () => {
    const result = await runCampaign();
    const partner = result.partners[0];

    // 1-15 November under sales-agents-2026: 00020001 48.00 + business bonus 24.00, 00020002 48.00,
    // 00020003 36.00, 00020004 validated 24.00, 00020006 validated 32.00 = 212.00. Activations on
    // those days: 3 against the target 6 × 15/30 = 3, so 100% lies in the band 1 to 1.5 and the
    // accelerator adds (48 + 48 + 36 + 24 + 32) × 0.1 = 18.80. From 16 November the campaign pays
    // 00020008 (PV, validated 17 November) 100.00. 212.00 + 18.80 + 100.00 = 330.80
    expect(partner?.draft.netCommission).toBe('330.80');
    expect(partner?.active.netCommission).toBe('843.20');
    expect(partner?.difference.netCommission).toBe('-512.40');
  });

  it('notes the plan that storing would reject', async () => {
    const result = await runCampaign();

    expect(result.notes).toEqual([
      'draft plan pv-campaign replaces active plan sales-agents-2026 for partner P00200 on the days both assign ' +
        'them; storing pv-campaign as it is would be rejected, because a partner can have only one plan on a day, ' +
        'so make the change a version of plan sales-agents-2026 or end its assignment first',
      'plan pv-campaign declares the attribute Campaign_Cod__c, but none of the 8 orders of the period has it; ' +
        "check the spelling against the CRM field's API name",
    ]);
  });
});
