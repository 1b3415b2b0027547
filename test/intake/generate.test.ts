import { beforeAll, describe, expect, it } from 'vitest';

import { generateDemoData, InvalidDemoOptionError, type DemoData } from '../../demo/generate.js';
import {
  austrianVatCheckDigit,
  germanVatCheckDigit,
  italianFiscalCode,
  italianVatCheckDigit,
} from '../../demo/tax-ids.js';
import { mapAccountToPartner, mapOrderStateEvents, mapProduct } from '../../integrations/salesforce/mapping.js';
import type { OrderHistoryRecord, OrderRecord } from '../../integrations/salesforce/records.js';
import { parsePlanDefinition } from '../../domain/plan/definition.js';

const DAY_MS = 86_400_000;

let data: DemoData;
let generationMs: number;

beforeAll(() => {
  const started = performance.now();
  data = generateDemoData({ seed: 20_261_101 });
  generationMs = performance.now() - started;
});

function statusChanges(): Map<string, OrderHistoryRecord[]> {
  const byOrder = new Map<string, OrderHistoryRecord[]>();
  for (const row of data.orderHistories) {
    if (row.Field !== 'Status') continue;
    byOrder.set(row.OrderId, [...(byOrder.get(row.OrderId) ?? []), row]);
  }
  return byOrder;
}

function ordersByLifecycle(): { supply: OrderRecord[]; installation: OrderRecord[] } {
  const codeById = new Map(data.products.map((product) => [product.Id, product.ProductCode ?? '']));
  const codeByOrder = new Map(data.orderItems.map((item) => [item.OrderId, codeById.get(item.Product2Id) ?? '']));
  const supplyCodes = /^(ELEC|GAS|LUCE|EMOB-DE-AUTOSTROM)/;
  return {
    supply: data.orders.filter((order) => supplyCodes.test(codeByOrder.get(order.Id) ?? '')),
    installation: data.orders.filter((order) => (codeByOrder.get(order.Id) ?? '').startsWith('INST-')),
  };
}

describe('generateDemoData', () => {
  it('returns the same data for the same seed', () => {
    const again = generateDemoData({ seed: 20_261_101 });

    expect(again).toEqual(data);
  });

  it('returns different data for another seed', () => {
    const other = generateDemoData({ seed: 1, partners: 60, orders: 500 });
    const same = generateDemoData({ seed: 2, partners: 60, orders: 500 });

    expect(other.accounts.map((account) => account.Name)).not.toEqual(same.accounts.map((account) => account.Name));
  });

  it('generates 22,000 orders within a few seconds', () => {
    expect(generationMs).toBeLessThan(5_000);
  });

  it('generates partners of all kinds in seven territories', () => {
    const kinds = new Set(data.accounts.map((account) => account.Partner_Kind__c));
    const territories = new Set(data.accounts.map((account) => account.Territory__c));

    expect(data.accounts).toHaveLength(320);
    expect([...kinds].sort()).toEqual(['Agency', 'Installer', 'Outbound Call Centre', 'Sales Agent', 'Technician']);
    expect(territories.size).toBeGreaterThanOrEqual(7);
  });

  it('gives every agency 3 to 8 agents in its territory', () => {
    const agencies = data.accounts.filter((account) => account.Partner_Kind__c === 'Agency');

    for (const agency of agencies) {
      const agents = data.accounts.filter((account) => account.Parent_Agency__c === agency.Id);
      expect(agents.length, agency.Name).toBeGreaterThanOrEqual(3);
      expect(agents.length, agency.Name).toBeLessThanOrEqual(8);
      expect(new Set(agents.map((agent) => agent.Territory__c)), agency.Name).toEqual(new Set([agency.Territory__c]));
      expect(new Set(agents.map((agent) => agent.Partner_Kind__c))).toEqual(new Set(['Sales Agent']));
    }
  });

  it('generates unique partner numbers and names', () => {
    expect(new Set(data.accounts.map((account) => account.Partner_Number__c)).size).toBe(320);
    expect(new Set(data.accounts.map((account) => account.Name)).size).toBe(320);
  });

  it('generates the tax profiles of both countries', () => {
    const partners = data.accounts.map(mapAccountToPartner);
    const profiles = partners.map((partner) => partner.taxProfile);
    const german = profiles.filter((profile) => profile.country === 'DE');
    const italian = profiles.filter((profile) => profile.country === 'IT');

    expect(german.filter((profile) => profile.vatRegime === 'standard').length).toBeGreaterThan(german.length / 2);
    expect(german.some((profile) => profile.vatRegime === 'small_business')).toBe(true);
    const reverseCharge = german.filter((profile) => profile.vatRegime === 'reverse_charge');
    expect(reverseCharge.length).toBeGreaterThanOrEqual(2);
    expect(reverseCharge.every((profile) => profile.address.country === 'AT' && profile.vatId?.startsWith('ATU'))).toBe(
      true,
    );
    expect(italian.some((profile) => profile.vatRegime === 'forfettario' && profile.withholding === 'none')).toBe(true);
    expect(italian.some((profile) => profile.enasarco === 'individual_single_mandate')).toBe(true);
    expect(italian.some((profile) => profile.enasarco === 'individual_multi_mandate')).toBe(true);
    expect(italian.some((profile) => profile.enasarco === 'company')).toBe(true);
    expect(italian.some((profile) => profile.withholding === 'with_employees')).toBe(true);
  });

  it('generates at least 20,000 orders in all six categories', () => {
    const categories = new Set(data.products.map((product) => mapProduct(product).category));

    expect(data.orders).toHaveLength(22_000);
    expect(data.orderItems).toHaveLength(22_000);
    expect(data.products.length).toBeGreaterThanOrEqual(15);
    expect([...categories].sort()).toEqual(['cooling', 'electricity', 'emobility', 'gas', 'heating', 'pv']);
  });

  it('uses Salesforce Ids with the right key prefixes', () => {
    const prefixes: [string, { Id: string; attributes: { type: string; url: string } }[]][] = [
      ['001', data.accounts],
      ['01t', data.products],
      ['801', data.orders],
      ['802', data.orderItems],
      ['017', data.orderHistories],
    ];

    for (const [prefix, records] of prefixes) {
      for (const record of records.slice(0, 50)) {
        expect(record.Id).toMatch(new RegExp(`^${prefix}[0-9A-Za-z]{15}$`));
        expect(record.attributes.url).toBe(`/services/data/v62.0/sobjects/${record.attributes.type}/${record.Id}`);
      }
    }
    expect(data.orderHistories[0]?.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
  });

  it('gives installation jobs to the field force only', () => {
    const kindByAccount = new Map(data.accounts.map((account) => [account.Id, account.Partner_Kind__c]));
    const { installation } = ordersByLifecycle();
    const installationIds = new Set(installation.map((order) => order.Id));

    for (const order of data.orders) {
      const kind = kindByAccount.get(order.Sales_Partner__c ?? '');
      if (kind === undefined) continue;
      const fieldForce = kind === 'Installer' || kind === 'Technician';
      expect(installationIds.has(order.Id), `${order.Id} of a ${kind}`).toBe(fieldForce);
    }
  });

  it('keeps every state change inside the history window', () => {
    const times = data.orderHistories.map((row) => row.CreatedDate);

    expect(times.every((time) => time >= '2026-08-01' && time < '2026-12-01')).toBe(true);
  });

  it('withdraws about 4% of contracts within 14 days', () => {
    const changes = statusChanges();
    const sales = data.orders.filter(
      (order) => !['Assigned', 'Installed', 'Commissioned', 'Accepted'].includes(order.Status),
    );
    const withdrawn = sales.filter((order) =>
      (changes.get(order.Id) ?? []).some(
        (row) =>
          row.NewValue === 'Cancelled' &&
          Date.parse(row.CreatedDate.replace('+0000', 'Z')) - Date.parse(order.CreatedDate.replace('+0000', 'Z')) <
            14 * DAY_MS,
      ),
    );

    const rate = withdrawn.length / sales.length;
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.05);
  });

  it('rejects about 6% of supply contracts at validation', () => {
    const { supply } = ordersByLifecycle();
    const rejected = supply.filter((order) => order.Status === 'Rejected');

    const rate = rejected.length / supply.length;
    expect(rate).toBeGreaterThan(0.045);
    expect(rate).toBeLessThan(0.07);
  });

  it('cancels a few percent of active supplies', () => {
    const changes = statusChanges();
    const { supply } = ordersByLifecycle();
    const activated = supply.filter((order) =>
      (changes.get(order.Id) ?? []).some((row) => row.NewValue === 'Supply Active'),
    );
    const cancelled = activated.filter((order) => order.Status === 'Cancelled');

    // Supplies activated late in the window had little time to be cancelled, so the rate is below 3%.
    const rate = cancelled.length / activated.length;
    expect(rate).toBeGreaterThan(0.005);
    expect(rate).toBeLessThan(0.035);
  });

  it('cancels about 5% of installation jobs', () => {
    const { installation } = ordersByLifecycle();
    const cancelled = installation.filter((order) => order.Status === 'Cancelled');

    const rate = cancelled.length / installation.length;
    expect(rate).toBeGreaterThan(0.035);
    expect(rate).toBeLessThan(0.065);
  });

  it('installs most jobs within the SLA', () => {
    const installed = data.orders.filter((order) => typeof order.Install_Completed_Within_SLA__c === 'boolean');
    const withinSla = installed.filter((order) => order.Install_Completed_Within_SLA__c === true);

    const rate = withinSla.length / installed.length;
    expect(rate).toBeGreaterThan(0.8);
    expect(rate).toBeLessThan(0.99);
  });

  it('includes 8 orders of unknown partners or products', () => {
    const partnerNumbers = new Set(data.accounts.map((account) => account.Partner_Number__c));
    const productIds = new Set(data.products.map((product) => product.Id));
    const unknownPartner = data.orders.filter(
      (order) => !partnerNumbers.has(order.Sales_Partner__r?.Partner_Number__c ?? null),
    );
    const unknownProduct = data.orderItems.filter((item) => !productIds.has(item.Product2Id));

    expect(unknownPartner).toHaveLength(4);
    expect(unknownProduct).toHaveLength(4);
  });

  it('maps every order through the Salesforce mapping', () => {
    const itemsByOrder = new Map(data.orderItems.map((item) => [item.OrderId, [item]]));
    const historiesByOrder = new Map<string, OrderHistoryRecord[]>();
    for (const row of data.orderHistories) {
      historiesByOrder.set(row.OrderId, [...(historiesByOrder.get(row.OrderId) ?? []), row]);
    }

    const events = data.orders.flatMap((order) =>
      mapOrderStateEvents(order, itemsByOrder.get(order.Id) ?? [], historiesByOrder.get(order.Id) ?? []),
    );

    expect(events).toHaveLength(data.orderHistories.length);
  });

  it('includes plans that pass plan validation', () => {
    expect(data.plans.map((plan) => plan.id)).toEqual([
      'agencies-2026',
      'installers-2026',
      'outbound-2026',
      'sales-agents-2026',
      'technicians-2026',
    ]);
    for (const plan of data.plans) {
      for (const version of plan.versions) {
        expect(() => parsePlanDefinition(version.definition), version.id).not.toThrow();
      }
    }
  });

  it('raises for an invalid period', () => {
    expect(() => generateDemoData({ seed: 1, period: '2026-13' })).toThrow(InvalidDemoOptionError);
    expect(() => generateDemoData({ seed: 1, partners: 10 })).toThrow(/partners/);
  });
});

describe('tax id check digits', () => {
  it('match hand-computed values', () => {
    // Worked by hand:
    // DE 13669597: the MOD 11,10 loop ends with product 5, so the check digit is 11 - 5 = 6.
    // AT 1358562: weighted digit sums 1 + 6 + 5 + 7 + 5 + 3 + 2 = 29, check (10 - (29 + 4) % 10) % 10 = 7.
    // IT 0074311015: Luhn sum 12 + 11 = 23, check (10 - 23 % 10) % 10 = 7.
    // RSSMRA80A01H501: odd-position values 61 + even-position values 37 = 98, 98 % 26 = 20, which is U.
    expect(germanVatCheckDigit('13669597')).toBe(6);
    expect(austrianVatCheckDigit('1358562')).toBe(7);
    expect(italianVatCheckDigit('0074311015')).toBe(7);
    expect(
      italianFiscalCode({
        firstName: 'Mario',
        lastName: 'Rossi',
        female: false,
        birthDate: new Date(Date.UTC(1980, 0, 1)),
        municipality: 'H501',
      }),
    ).toBe('RSSMRA80A01H501U');
  });
});
