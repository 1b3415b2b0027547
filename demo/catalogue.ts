/**
 * The demo product catalogue: supply contracts and equipment sold by sales partners, and
 * installation jobs carried out by installers and technicians, for Germany and Italy. Quantity and
 * price ranges are rough estimates of retail figures (for example 0.29-0.36 €/kWh for German
 * household electricity and 1,450-1,950 € per kWp for a PV system), not taken from any tariff.
 */
import type { ProductCategory } from '../domain/model.js';
import { PRODUCT_FAMILY_PICKLIST } from '../integrations/salesforce/mapping.js';
import { recordUrl, type Product2Record } from '../integrations/salesforce/records.js';
import type { Country } from './names.js';
import { salesforceId } from './salesforce-ids.js';

/**
 * State path of the product's orders. `supply`: signed -> validated -> supply_active ->
 * first_bill_paid. `equipment`: signed -> validated, because the installation is a separate job.
 * `installation`: assigned -> installed -> commissioned -> accepted.
 */
export type Lifecycle = 'supply' | 'equipment' | 'installation';

export interface CatalogueProduct {
  code: string;
  name: string;
  category: ProductCategory;
  /** QuantityUnitOfMeasure. */
  unit: 'kWh' | 'kWp' | 'Each' | 'Job';
  country: Country;
  lifecycle: Lifecycle;
  /** Order quantity range and its fraction digits (kWh per year, kWp, units, jobs). */
  quantity: { min: number; max: number; fractionDigits: number };
  /** Unit price range in euros and its fraction digits. */
  unitPrice: { min: number; max: number; fractionDigits: number };
  /** Share of the product among the orders of its country and lifecycle group (sales or installation). */
  weight: number;
  /** Contract term of supply products, in months. */
  termMonths?: number;
  /** Sold to business customers. */
  business?: boolean;
}

const kWhPerYear = (min: number, max: number) => ({ min, max, fractionDigits: 0 });
const kWp = (min: number, max: number) => ({ min, max, fractionDigits: 1 });
const units = (min: number, max: number) => ({ min, max, fractionDigits: 0 });
const perKWh = (min: number, max: number) => ({ min, max, fractionDigits: 4 });
const euros = (min: number, max: number) => ({ min, max, fractionDigits: 2 });

export const CATALOGUE: readonly CatalogueProduct[] = [
  // Germany, sales partners
  {
    code: 'ELEC-DE-FIX24',
    name: 'Strom Zuhause Fix 24',
    category: 'electricity',
    unit: 'kWh',
    country: 'DE',
    lifecycle: 'supply',
    weight: 30,
    quantity: kWhPerYear(1_500, 6_000),
    unitPrice: perKWh(0.29, 0.36),
    termMonths: 24,
  },
  {
    code: 'ELEC-DE-OEKO',
    name: 'Ökostrom Natur',
    category: 'electricity',
    unit: 'kWh',
    country: 'DE',
    lifecycle: 'supply',
    weight: 20,
    quantity: kWhPerYear(1_500, 5_500),
    unitPrice: perKWh(0.31, 0.38),
    termMonths: 12,
  },
  {
    code: 'ELEC-DE-BIZ',
    name: 'Strom Business Plus',
    category: 'electricity',
    unit: 'kWh',
    country: 'DE',
    lifecycle: 'supply',
    weight: 5,
    quantity: kWhPerYear(15_000, 120_000),
    unitPrice: perKWh(0.24, 0.29),
    termMonths: 24,
    business: true,
  },
  {
    code: 'GAS-DE-FIX24',
    name: 'Erdgas Zuhause Fix 24',
    category: 'gas',
    unit: 'kWh',
    country: 'DE',
    lifecycle: 'supply',
    weight: 18,
    quantity: kWhPerYear(8_000, 30_000),
    unitPrice: perKWh(0.095, 0.13),
    termMonths: 24,
  },
  {
    code: 'GAS-DE-BIZ',
    name: 'Erdgas Business',
    category: 'gas',
    unit: 'kWh',
    country: 'DE',
    lifecycle: 'supply',
    weight: 3,
    quantity: kWhPerYear(40_000, 250_000),
    unitPrice: perKWh(0.085, 0.11),
    termMonths: 12,
    business: true,
  },
  {
    code: 'EMOB-DE-AUTOSTROM',
    name: 'Autostrom Zuhause',
    category: 'emobility',
    unit: 'kWh',
    country: 'DE',
    lifecycle: 'supply',
    weight: 5,
    quantity: kWhPerYear(1_500, 4_500),
    unitPrice: perKWh(0.27, 0.32),
    termMonths: 12,
  },
  {
    code: 'EMOB-DE-WB11',
    name: 'Wallbox 11 kW Smart',
    category: 'emobility',
    unit: 'Each',
    country: 'DE',
    lifecycle: 'equipment',
    weight: 5,
    quantity: units(1, 1),
    unitPrice: euros(899, 1_299),
  },
  {
    code: 'PV-DE-KOMPLETT',
    name: 'Photovoltaikanlage Komplett',
    category: 'pv',
    unit: 'kWp',
    country: 'DE',
    lifecycle: 'equipment',
    weight: 6,
    quantity: kWp(4, 15),
    unitPrice: euros(1_450, 1_950),
  },
  {
    code: 'HEAT-DE-LWWP',
    name: 'Luft-Wasser-Wärmepumpe',
    category: 'heating',
    unit: 'Each',
    country: 'DE',
    lifecycle: 'equipment',
    weight: 4,
    quantity: units(1, 1),
    unitPrice: euros(14_500, 26_000),
  },
  {
    code: 'COOL-DE-SPLIT',
    name: 'Klimaanlage Split',
    category: 'cooling',
    unit: 'Each',
    country: 'DE',
    lifecycle: 'equipment',
    weight: 4,
    quantity: units(1, 3),
    unitPrice: euros(1_900, 3_400),
  },
  // Italy, sales partners
  {
    code: 'LUCE-IT-FISSA',
    name: 'Luce Casa Prezzo Fisso',
    category: 'electricity',
    unit: 'kWh',
    country: 'IT',
    lifecycle: 'supply',
    weight: 32,
    quantity: kWhPerYear(1_500, 4_500),
    unitPrice: perKWh(0.24, 0.31),
    termMonths: 12,
  },
  {
    code: 'LUCE-IT-VERDE',
    name: 'Luce Verde Web',
    category: 'electricity',
    unit: 'kWh',
    country: 'IT',
    lifecycle: 'supply',
    weight: 22,
    quantity: kWhPerYear(1_500, 4_500),
    unitPrice: perKWh(0.23, 0.29),
    termMonths: 12,
  },
  {
    code: 'GAS-IT-CASA',
    name: 'Gas Casa Prezzo Fisso',
    category: 'gas',
    unit: 'kWh',
    country: 'IT',
    lifecycle: 'supply',
    weight: 24,
    quantity: kWhPerYear(6_000, 20_000),
    unitPrice: perKWh(0.1, 0.14),
    termMonths: 12,
  },
  {
    code: 'EMOB-IT-WB',
    name: 'Wallbox 7,4 kW Casa',
    category: 'emobility',
    unit: 'Each',
    country: 'IT',
    lifecycle: 'equipment',
    weight: 4,
    quantity: units(1, 1),
    unitPrice: euros(799, 1_199),
  },
  {
    code: 'PV-IT-ACCUMULO',
    name: 'Impianto Fotovoltaico con Accumulo',
    category: 'pv',
    unit: 'kWp',
    country: 'IT',
    lifecycle: 'equipment',
    weight: 8,
    quantity: kWp(3, 10),
    unitPrice: euros(1_600, 2_200),
  },
  {
    code: 'HEAT-IT-PDC',
    name: 'Pompa di Calore Aria-Acqua',
    category: 'heating',
    unit: 'Each',
    country: 'IT',
    lifecycle: 'equipment',
    weight: 4,
    quantity: units(1, 1),
    unitPrice: euros(9_500, 17_000),
  },
  {
    code: 'COOL-IT-DUAL',
    name: 'Climatizzatore Dual Split',
    category: 'cooling',
    unit: 'Each',
    country: 'IT',
    lifecycle: 'equipment',
    weight: 6,
    quantity: units(1, 3),
    unitPrice: euros(1_300, 2_600),
  },
  // Installation jobs
  {
    code: 'INST-DE-PV',
    name: 'PV-Montage und Inbetriebnahme',
    category: 'pv',
    unit: 'kWp',
    country: 'DE',
    lifecycle: 'installation',
    weight: 40,
    quantity: kWp(4, 15),
    unitPrice: euros(280, 420),
  },
  {
    code: 'INST-DE-WP',
    name: 'Wärmepumpen-Installation',
    category: 'heating',
    unit: 'Job',
    country: 'DE',
    lifecycle: 'installation',
    weight: 30,
    quantity: units(1, 1),
    unitPrice: euros(2_800, 4_500),
  },
  {
    code: 'INST-DE-WB',
    name: 'Wallbox-Installation',
    category: 'emobility',
    unit: 'Job',
    country: 'DE',
    lifecycle: 'installation',
    weight: 20,
    quantity: units(1, 1),
    unitPrice: euros(450, 950),
  },
  {
    code: 'INST-DE-KLIMA',
    name: 'Klimagerät-Montage',
    category: 'cooling',
    unit: 'Job',
    country: 'DE',
    lifecycle: 'installation',
    weight: 10,
    quantity: units(1, 1),
    unitPrice: euros(650, 1_300),
  },
  {
    code: 'INST-IT-FV',
    name: 'Installazione Impianto FV',
    category: 'pv',
    unit: 'kWp',
    country: 'IT',
    lifecycle: 'installation',
    weight: 40,
    quantity: kWp(3, 10),
    unitPrice: euros(250, 380),
  },
  {
    code: 'INST-IT-PDC',
    name: 'Installazione Pompa di Calore',
    category: 'heating',
    unit: 'Job',
    country: 'IT',
    lifecycle: 'installation',
    weight: 25,
    quantity: units(1, 1),
    unitPrice: euros(2_200, 3_800),
  },
  {
    code: 'INST-IT-WB',
    name: 'Installazione Wallbox',
    category: 'emobility',
    unit: 'Job',
    country: 'IT',
    lifecycle: 'installation',
    weight: 15,
    quantity: units(1, 1),
    unitPrice: euros(400, 800),
  },
  {
    code: 'INST-IT-CLIMA',
    name: 'Installazione Climatizzatore',
    category: 'cooling',
    unit: 'Job',
    country: 'IT',
    lifecycle: 'installation',
    weight: 20,
    quantity: units(1, 1),
    unitPrice: euros(450, 950),
  },
];

/** A catalogue product with its Salesforce Ids. */
export interface DemoProduct {
  product: CatalogueProduct;
  record: Product2Record;
  pricebookEntryId: string;
}

/** Returns the catalogue as Product2 records, with Ids numbered in catalogue order from 1. */
export function catalogueRecords(): DemoProduct[] {
  return CATALOGUE.map((product, index) => {
    const id = salesforceId('Product2', index + 1);
    return {
      product,
      record: {
        attributes: { type: 'Product2', url: recordUrl('Product2', id) },
        Id: id,
        Name: product.name,
        ProductCode: product.code,
        Family: PRODUCT_FAMILY_PICKLIST[product.category],
        QuantityUnitOfMeasure: product.unit,
        IsActive: true,
      },
      pricebookEntryId: salesforceId('PricebookEntry', index + 1),
    };
  });
}
