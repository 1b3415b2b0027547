/**
 * Hand-written Salesforce records for the offline order tests: two partners, two products and
 * four orders in March 2030, a period that the generated demo data never reaches. Partner numbers
 * start at P90001 so that they do not collide with generated partners in a shared database.
 */
import type { SalesforceRecords } from '../../demo/files.js';
import type {
  AccountRecord,
  OrderHistoryRecord,
  OrderItemRecord,
  OrderRecord,
  Product2Record,
} from '../../integrations/salesforce/records.js';

export const AGENCY_ID = '0019Z0000000001AAA';
export const AGENT_ID = '0019Z0000000002AAA';
export const ELECTRICITY_ID = '01t9Z0000000001AAA';
export const PV_ID = '01t9Z0000000002AAA';

/** Order ids of the scenarios in `handWrittenRecords`. */
export const ORDER_IDS = {
  /** Signed, cancelled, then validated after the cancellation. */
  cancelledThenValidated: '8019Z0000000001AAA',
  /** Signed, then installed, a state of installation orders. */
  mixedKinds: '8019Z0000000002AAA',
  /** Sold by partner P99999, which is not in the records. */
  unknownPartner: '8019Z0000000003AAA',
  /** A PV installation that runs through, with one history row delivered twice. */
  installation: '8019Z0000000004AAA',
} as const;

function url(type: string, id: string): string {
  return `/services/data/v62.0/sobjects/${type}/${id}`;
}

export function account(overrides: Partial<AccountRecord> & Pick<AccountRecord, 'Id'>): AccountRecord {
  return {
    attributes: { type: 'Account', url: url('Account', overrides.Id) },
    Name: 'Vertriebsagentur Nordlicht GmbH',
    Partner_Number__c: 'P90001',
    Partner_Kind__c: 'Agency',
    Parent_Agency__c: null,
    Parent_Agency__r: null,
    Territory__c: 'DE-NORTH',
    BillingStreet: 'Hafenstraße 4',
    BillingPostalCode: '20457',
    BillingCity: 'Hamburg',
    BillingCountry: 'Germany',
    BillingCountryCode: 'DE',
    Email__c: 'abrechnung@nordlicht.example',
    VAT_Id__c: 'DE123456789',
    Tax_Number__c: '22/123/45678',
    VAT_Regime__c: 'Standard',
    Withholding__c: null,
    Enasarco__c: null,
    SAP_Vendor__c: '900001',
    ...overrides,
  };
}

export function partnerReference(partnerNumber: string, accountId: string): OrderRecord['Sales_Partner__r'] {
  return { attributes: { type: 'Account', url: url('Account', accountId) }, Partner_Number__c: partnerNumber };
}

function product(id: string, name: string, code: string, family: string, unit: string): Product2Record {
  return {
    attributes: { type: 'Product2', url: url('Product2', id) },
    Id: id,
    Name: name,
    ProductCode: code,
    Family: family,
    QuantityUnitOfMeasure: unit,
    IsActive: true,
  };
}

export function order(
  id: string,
  overrides: Partial<OrderRecord> & Pick<OrderRecord, 'OrderNumber' | 'Status' | 'CreatedDate'>,
): OrderRecord {
  return {
    attributes: { type: 'Order', url: url('Order', id) },
    Id: id,
    AccountId: '0019Z0000000900AAA',
    Sales_Partner__c: AGENT_ID,
    Sales_Partner__r: partnerReference('P90002', AGENT_ID),
    EffectiveDate: overrides.CreatedDate.slice(0, 10),
    TotalAmount: 1116.15,
    Territory__c: 'DE-SOUTH',
    Campaign_Code__c: 'FRUEHLING30-DE',
    ...overrides,
  };
}

export function item(orderId: string, productId: string, quantity: number, totalPrice: number): OrderItemRecord {
  const id = `802${orderId.slice(3)}`;
  return {
    attributes: { type: 'OrderItem', url: url('OrderItem', id) },
    Id: id,
    OrderId: orderId,
    Product2Id: productId,
    PricebookEntryId: '01u9Z0000000001AAA',
    Quantity: quantity,
    UnitPrice: totalPrice / quantity,
    TotalPrice: totalPrice,
  };
}

export function history(
  id: string,
  orderId: string,
  change: { from: string; to: string } | 'created',
  at: string,
): OrderHistoryRecord {
  return {
    attributes: { type: 'OrderHistory', url: url('OrderHistory', id) },
    Id: id,
    OrderId: orderId,
    Field: change === 'created' ? 'created' : 'Status',
    OldValue: change === 'created' ? null : change.from,
    NewValue: change === 'created' ? null : change.to,
    CreatedDate: at,
  };
}

/** Returns the records of the four scenarios in ORDER_IDS. */
export function handWrittenRecords(): SalesforceRecords {
  const { cancelledThenValidated, mixedKinds, unknownPartner, installation } = ORDER_IDS;
  const repeatedRow = history(
    '0179Z0000000042AAA',
    installation,
    { from: 'Installed', to: 'Commissioned' },
    '2030-03-12T16:00:00.000+0000',
  );

  return {
    accounts: [
      account({ Id: AGENCY_ID }),
      account({
        Id: AGENT_ID,
        Name: 'Giulia Romano',
        Partner_Number__c: 'P90002',
        Partner_Kind__c: 'Sales Agent',
        Parent_Agency__c: AGENCY_ID,
        Parent_Agency__r: partnerReference('P90001', AGENCY_ID),
        Territory__c: 'IT-NORTH',
        BillingStreet: 'Via Roma 12',
        BillingPostalCode: '20121',
        BillingCity: 'Milano',
        BillingCountry: 'Italy',
        BillingCountryCode: 'IT',
        Email__c: 'giulia.romano@libero.example',
        VAT_Id__c: 'IT00743110157',
        Tax_Number__c: 'RMNGLI85M41F205X',
        Withholding__c: 'Standard',
        Enasarco__c: 'Individual Single Mandate',
        SAP_Vendor__c: '900002',
      }),
    ],
    products: [
      product(ELECTRICITY_ID, 'Strom Zuhause', 'ELEC-HOME-30', 'Electricity', 'kWh'),
      product(PV_ID, 'Photovoltaikanlage Komplett', 'PV-DE-30', 'Photovoltaics', 'kWp'),
    ],
    orders: [
      order(cancelledThenValidated, {
        OrderNumber: '09000001',
        Status: 'Validated',
        CreatedDate: '2030-03-02T09:00:00.000+0000',
      }),
      order(mixedKinds, { OrderNumber: '09000002', Status: 'Installed', CreatedDate: '2030-03-03T09:00:00.000+0000' }),
      order(unknownPartner, {
        OrderNumber: '09000003',
        Status: 'Validated',
        CreatedDate: '2030-03-04T09:00:00.000+0000',
        Sales_Partner__r: partnerReference('P99999', '0019Z0000000999AAA'),
      }),
      order(installation, {
        OrderNumber: '09000004',
        Status: 'Commissioned',
        CreatedDate: '2030-03-01T08:30:00.000+0000',
        Sales_Partner__c: AGENCY_ID,
        Sales_Partner__r: partnerReference('P90001', AGENCY_ID),
        // Empty, so the order takes the partner's territory DE-NORTH.
        Territory__c: null,
        // Unset, so the value is the sum of the items' TotalPrice.
        TotalAmount: null,
        Installed_Capacity_kWp__c: 6.4,
        Install_Completed_Within_SLA__c: true,
        Customer_Reference__c: null,
      }),
    ],
    orderItems: [
      item(cancelledThenValidated, ELECTRICITY_ID, 3500, 1116.15),
      item(mixedKinds, ELECTRICITY_ID, 2800, 890.4),
      item(unknownPartner, ELECTRICITY_ID, 4200, 1310.1),
      item(installation, PV_ID, 6.4, 14990.5),
    ],
    orderHistories: [
      history('0179Z0000000011AAA', cancelledThenValidated, 'created', '2030-03-02T09:00:00.000+0000'),
      history(
        '0179Z0000000012AAA',
        cancelledThenValidated,
        { from: 'Signed', to: 'Cancelled' },
        '2030-03-05T10:00:00.000+0000',
      ),
      history(
        '0179Z0000000013AAA',
        cancelledThenValidated,
        { from: 'Cancelled', to: 'Validated' },
        '2030-03-08T11:00:00.000+0000',
      ),
      history('0179Z0000000021AAA', mixedKinds, 'created', '2030-03-03T09:00:00.000+0000'),
      history('0179Z0000000022AAA', mixedKinds, { from: 'Signed', to: 'Installed' }, '2030-03-06T12:00:00.000+0000'),
      history('0179Z0000000031AAA', unknownPartner, 'created', '2030-03-04T09:00:00.000+0000'),
      history(
        '0179Z0000000032AAA',
        unknownPartner,
        { from: 'Signed', to: 'Validated' },
        '2030-03-07T13:00:00.000+0000',
      ),
      history('0179Z0000000041AAA', installation, 'created', '2030-03-01T08:30:00.000+0000'),
      history(
        '0179Z0000000043AAA',
        installation,
        { from: 'Assigned', to: 'Installed' },
        '2030-03-10T14:00:00.000+0000',
      ),
      repeatedRow,
      { ...repeatedRow },
    ],
  };
}
