/**
 * Demo partners as Salesforce Account records: agencies with 3 to 8 agents each, independent
 * sales agents, outbound call centres, installers and technicians in seven territories of Germany
 * and Italy. A few independent agents are Austrian and invoice under reverse charge. Each partner
 * has a tax profile typical of its kind and country.
 */
import type { PartnerKind, TaxProfile } from '../domain/model.js';
import {
  ENASARCO_PICKLIST,
  PARTNER_KIND_PICKLIST,
  VAT_REGIME_PICKLIST,
  WITHHOLDING_PICKLIST,
} from '../integrations/salesforce/mapping.js';
import { recordUrl, type AccountRecord } from '../integrations/salesforce/records.js';
import {
  CITIES,
  TERRITORIES,
  companyName,
  emailAddress,
  postalCode,
  randomPerson,
  streetAddress,
  type Country,
  type Person,
  type Territory,
} from './names.js';
import type { Random } from './random.js';
import { salesforceId } from './salesforce-ids.js';
import { austrianVatId, germanTaxNumber, germanVatId, italianFiscalCode, italianVatNumber } from './tax-ids.js';

/** Smallest partner count that leaves room for every kind and for agencies of at least 3 agents. */
export const MIN_PARTNERS = 40;

/** A generated partner with the figures the order generator needs. */
export interface DemoPartner {
  account: AccountRecord;
  kind: PartnerKind;
  territory: Territory;
  country: Country;
  /** Relative number of orders the partner brings in. */
  orderWeight: number;
  /** Installers and technicians: probability that a job is installed within the SLA. */
  slaQuality: number;
}

/** Orders per partner relative to an average sales agent. */
const ORDER_WEIGHT_BY_KIND: Readonly<Record<PartnerKind, number>> = {
  agency: 1.5,
  sales_agent: 1,
  outbound: 9,
  installer: 2.4,
  technician: 2,
};

const NAME_ATTEMPTS = 50;

interface PartnerPlan {
  kind: PartnerKind;
  territory: Territory;
  parent?: DemoPartner;
  austrian?: boolean;
}

/**
 * Generates `count` partners (at least MIN_PARTNERS): about 9% agencies, 5% call centres, 12%
 * installers, 8% technicians and the rest sales agents, of whom roughly 12% of all partners work
 * independently and the others for an agency. Throws RangeError for a smaller count.
 */
export function generatePartners(random: Random, count: number): DemoPartner[] {
  if (!Number.isInteger(count) || count < MIN_PARTNERS) {
    throw new RangeError(`partners must be a whole number of at least ${MIN_PARTNERS}, not ${count}`);
  }
  const agencies = Math.round(count * 0.09);
  const outbound = Math.round(count * 0.05);
  const installers = Math.round(count * 0.12);
  const technicians = Math.round(count * 0.08);
  const independents = Math.round(count * 0.12);
  const agentsPerAgency = splitAgents(
    random,
    agencies,
    count - agencies - outbound - installers - technicians - independents,
  );

  const builder = new PartnerBuilder(random);
  const partners: DemoPartner[] = [];
  for (const agentCount of agentsPerAgency) {
    const agency = builder.build({ kind: 'agency', territory: random.pick(TERRITORIES) });
    partners.push(agency);
    for (let index = 0; index < agentCount; index += 1) {
      partners.push(builder.build({ kind: 'sales_agent', territory: agency.territory, parent: agency }));
    }
  }

  const independentCount = count - partners.length - outbound - installers - technicians;
  const austrianCount = Math.max(2, Math.round(independentCount * 0.08));
  for (let index = 0; index < independentCount; index += 1) {
    const austrian = index < austrianCount;
    const territory = austrian ? random.pick(['DE-SOUTH', 'DE-SOUTH', 'DE-EAST'] as const) : random.pick(TERRITORIES);
    partners.push(builder.build({ kind: 'sales_agent', territory, austrian }));
  }

  // Call centres cover the territories in turn, so every territory has one when there are seven or more.
  for (let index = 0; index < outbound; index += 1) {
    partners.push(builder.build({ kind: 'outbound', territory: TERRITORIES[index % TERRITORIES.length]! }));
  }
  for (let index = 0; index < installers; index += 1) {
    partners.push(builder.build({ kind: 'installer', territory: TERRITORIES[index % TERRITORIES.length]! }));
  }
  for (let index = 0; index < technicians; index += 1) {
    partners.push(builder.build({ kind: 'technician', territory: random.pick(TERRITORIES) }));
  }
  return partners;
}

/** Splits at most `total` agents over the agencies, 3 to 8 each, unless 3 per agency already exceed `total`. */
function splitAgents(random: Random, agencies: number, total: number): number[] {
  const counts = Array.from({ length: agencies }, () => random.integer(3, 8));
  let sum = counts.reduce((left, right) => left + right, 0);
  while (sum > total && counts.some((agentCount) => agentCount > 3)) {
    const index = random.integer(0, agencies - 1);
    if (counts[index]! > 3) {
      counts[index]! -= 1;
      sum -= 1;
    }
  }
  return counts;
}

class PartnerBuilder {
  private sequence = 0;
  private readonly names = new Set<string>();

  constructor(private readonly random: Random) {}

  build(plan: PartnerPlan): DemoPartner {
    this.sequence += 1;
    const random = this.random;
    const country: Country = plan.territory.startsWith('DE-') ? 'DE' : 'IT';
    const isPerson = plan.kind === 'sales_agent' || (plan.kind === 'technician' && random.chance(0.5));
    const person = isPerson ? randomPerson(random, country) : undefined;
    const name = this.uniqueName(() => {
      if (plan.austrian && person) return `${person.firstName} ${person.lastName} e.U.`;
      if (person) return `${person.firstName} ${person.lastName}`;
      return companyName(random, country, plan.kind as Exclude<PartnerKind, 'sales_agent'>);
    });

    const addressCountry = plan.austrian ? 'AT' : country;
    const city = random.pick(CITIES[plan.austrian ? 'AT' : plan.territory]);
    const tax = taxProfile(random, plan, country, person, city.province ?? 1, city.cadastralCode ?? 'H501');
    const id = salesforceId('Account', this.sequence);
    const parent = plan.parent?.account;

    const account: AccountRecord = {
      attributes: { type: 'Account', url: recordUrl('Account', id) },
      Id: id,
      Name: name,
      Partner_Number__c: `P${String(this.sequence).padStart(5, '0')}`,
      Partner_Kind__c: PARTNER_KIND_PICKLIST[plan.kind],
      Parent_Agency__c: parent?.Id ?? null,
      Parent_Agency__r: parent
        ? {
            attributes: { type: 'Account', url: recordUrl('Account', parent.Id) },
            Partner_Number__c: parent.Partner_Number__c,
          }
        : null,
      Territory__c: plan.territory,
      BillingStreet: streetAddress(random, addressCountry),
      BillingPostalCode: postalCode(random, city, addressCountry),
      BillingCity: city.name,
      BillingCountry: { DE: 'Germany', IT: 'Italy', AT: 'Austria' }[addressCountry],
      BillingCountryCode: addressCountry,
      Email__c: emailAddress(random, country, name, person),
      VAT_Id__c: tax.vatId ?? null,
      Tax_Number__c: tax.taxNumber ?? null,
      VAT_Regime__c: VAT_REGIME_PICKLIST[tax.vatRegime],
      Withholding__c: tax.withholding ? WITHHOLDING_PICKLIST[tax.withholding] : null,
      Enasarco__c: tax.enasarco ? ENASARCO_PICKLIST[tax.enasarco] : null,
      SAP_Vendor__c: String((country === 'DE' ? 100_000 : 200_000) + this.sequence),
    };

    return {
      account,
      kind: plan.kind,
      territory: plan.territory,
      country,
      orderWeight: ORDER_WEIGHT_BY_KIND[plan.kind] * random.between(0.4, 1.6),
      slaQuality: random.between(0.82, 0.98),
    };
  }

  private uniqueName(build: () => string): string {
    for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt += 1) {
      const name = build();
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
    // Word lists of a few dozen entries run out of combinations for large partner counts.
    const name = `${build()} (${this.sequence})`;
    this.names.add(name);
    return name;
  }
}

type GeneratedTaxFields = Omit<TaxProfile, 'country' | 'address'>;

/**
 * Returns a tax profile by kind and country. Germany: standard VAT, some sales agents and
 * technicians as small businesses (§19 UStG), Austrian agents under reverse charge. Italy: agencies
 * are agent companies (ENASARCO company rate), and individual agents pay ENASARCO on a single or
 * multiple mandates. Some individuals use the forfettario regime. Call centres and the field force
 * are contractors without withholding or ENASARCO.
 */
function taxProfile(
  random: Random,
  plan: PartnerPlan,
  country: Country,
  person: Person | undefined,
  province: number,
  municipality: string,
): GeneratedTaxFields {
  if (plan.austrian) {
    return { vatRegime: 'reverse_charge', vatId: austrianVatId(random) };
  }
  if (country === 'DE') {
    const smallBusiness =
      (plan.kind === 'sales_agent' && random.chance(0.17)) || (plan.kind === 'technician' && random.chance(0.2));
    const taxNumber = germanTaxNumber(random, plan.territory);
    if (smallBusiness) return { vatRegime: 'small_business', taxNumber };
    return { vatRegime: 'standard', vatId: germanVatId(random), taxNumber };
  }

  const vatId = `IT${italianVatNumber(random, province)}`;
  const taxNumber = person
    ? italianFiscalCode({ ...person, birthDate: birthDate(random), municipality })
    : vatId.slice(2);
  const forfettario = person !== undefined && random.chance(plan.kind === 'technician' ? 0.25 : 0.12);
  const vatRegime = forfettario ? 'forfettario' : 'standard';

  if (plan.kind === 'agency') {
    return {
      vatRegime,
      vatId,
      taxNumber,
      enasarco: 'company',
      withholding: random.chance(0.7) ? 'with_employees' : 'standard',
    };
  }
  if (plan.kind === 'sales_agent') {
    const enasarco = random.chance(0.7) ? 'individual_single_mandate' : 'individual_multi_mandate';
    const withholding = forfettario ? 'none' : random.chance(0.15) ? 'with_employees' : 'standard';
    return { vatRegime, vatId, taxNumber, enasarco, withholding };
  }
  return { vatRegime, vatId, taxNumber, enasarco: 'none', withholding: 'none' };
}

function birthDate(random: Random): Date {
  return new Date(Date.UTC(random.integer(1960, 1998), random.integer(0, 11), random.integer(1, 28)));
}
