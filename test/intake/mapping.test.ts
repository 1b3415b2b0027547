import { describe, expect, it } from 'vitest';

import {
  mapAccountToPartner,
  mapOrderStateEvents,
  mapProduct,
  SalesforceMappingError,
} from '../../integrations/salesforce/mapping.js';
import type {
  AccountRecord,
  OrderHistoryRecord,
  OrderItemRecord,
  OrderRecord,
  Product2Record,
} from '../../integrations/salesforce/records.js';
import { validateOrderEventBatch } from '../../store/order-events.js';

const AGENCY_ID = '0017Q0000000001QAA';
const AGENT_ID = '0017Q0000000002QAA';
const PRODUCT_ID = '01t7Q0000000001QAA';
const ORDER_ID = '8017Q0000000001QAA';

function agentAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${AGENT_ID}` },
    Id: AGENT_ID,
    Name: 'Giulia Romano',
    Partner_Number__c: 'P00002',
    Partner_Kind__c: 'Sales Agent',
    Parent_Agency__c: AGENCY_ID,
    Parent_Agency__r: {
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${AGENCY_ID}` },
      Partner_Number__c: 'P00001',
    },
    Territory__c: 'IT-NORTH',
    BillingStreet: 'Via Roma 12',
    BillingPostalCode: '20121',
    BillingCity: 'Milano',
    BillingCountry: 'Italy',
    BillingCountryCode: 'IT',
    Email__c: 'giulia.romano@libero.example',
    VAT_Id__c: 'IT00743110157',
    Tax_Number__c: 'RMNGLI85M41F205X',
    VAT_Regime__c: 'Standard',
    Withholding__c: 'With Employees',
    Enasarco__c: 'Individual Multi Mandate',
    SAP_Vendor__c: '200002',
    ...overrides,
  };
}

function product(overrides: Partial<Product2Record> = {}): Product2Record {
  return {
    attributes: { type: 'Product2', url: `/services/data/v62.0/sobjects/Product2/${PRODUCT_ID}` },
    Id: PRODUCT_ID,
    Name: 'Photovoltaikanlage Komplett',
    ProductCode: 'PV-DE-KOMPLETT',
    Family: 'Photovoltaics',
    QuantityUnitOfMeasure: 'kWp',
    IsActive: true,
    ...overrides,
  };
}

function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    attributes: { type: 'Order', url: `/services/data/v62.0/sobjects/Order/${ORDER_ID}` },
    Id: ORDER_ID,
    OrderNumber: '00000001',
    AccountId: '0017Q000004DRhQAM',
    Sales_Partner__c: AGENT_ID,
    Sales_Partner__r: {
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${AGENT_ID}` },
      Partner_Number__c: 'P00002',
    },
    Status: 'Supply Active',
    EffectiveDate: '2026-10-30',
    TotalAmount: 1116.15,
    Territory__c: 'DE-SOUTH',
    CreatedDate: '2026-10-30T15:09:00.000+0000',
    Campaign_Code__c: 'HERBST26-DE',
    Annual_Consumption_kWh__c: 3500,
    Install_Completed_Within_SLA__c: null,
    Brand_New_Field__c: true,
    ...overrides,
  };
}

function item(overrides: Partial<OrderItemRecord> = {}): OrderItemRecord {
  return {
    attributes: { type: 'OrderItem', url: '/services/data/v62.0/sobjects/OrderItem/8027Q0000000001QAA' },
    Id: '8027Q0000000001QAA',
    OrderId: ORDER_ID,
    Product2Id: PRODUCT_ID,
    PricebookEntryId: '01u7Q0000000001QAA',
    Quantity: 3500,
    UnitPrice: 0.3189,
    TotalPrice: 1116.15,
    ...overrides,
  };
}

function history(
  id: string,
  field: string,
  oldValue: string | null,
  newValue: string | null,
  at: string,
): OrderHistoryRecord {
  return {
    attributes: { type: 'OrderHistory', url: `/services/data/v62.0/sobjects/OrderHistory/${id}` },
    Id: id,
    OrderId: ORDER_ID,
    Field: field,
    OldValue: oldValue,
    NewValue: newValue,
    CreatedDate: at,
  };
}

const HISTORY = [
  history('0177Q0000000003QAA', 'Status', 'Validated', 'Supply Active', '2026-11-20T06:15:00.000+0000'),
  history('0177Q0000000001QAA', 'created', null, null, '2026-10-30T15:09:00.000+0000'),
  history('0177Q0000000004QAA', 'TotalAmount', '1000', '1116.15', '2026-11-02T09:00:00.000+0000'),
  history('0177Q0000000002QAA', 'Status', 'Signed', 'Validated', '2026-11-02T08:30:00.000+0000'),
];

function mappingError(action: () => unknown): SalesforceMappingError {
  try {
    action();
  } catch (error) {
    if (error instanceof SalesforceMappingError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceMappingError');
}

describe('mapAccountToPartner', () => {
  it('maps an Italian agent with its agency and tax profile', () => {
    const partner = mapAccountToPartner(agentAccount());

    expect(partner).toEqual({
      id: 'P00002',
      salesforceId: AGENT_ID,
      name: 'Giulia Romano',
      kind: 'sales_agent',
      parentId: 'P00001',
      territory: 'IT-NORTH',
      email: 'giulia.romano@libero.example',
      sapVendorId: '200002',
      taxProfile: {
        country: 'IT',
        vatRegime: 'standard',
        vatId: 'IT00743110157',
        taxNumber: 'RMNGLI85M41F205X',
        withholding: 'with_employees',
        enasarco: 'individual_multi_mandate',
        address: { street: 'Via Roma 12', postalCode: '20121', city: 'Milano', country: 'IT' },
      },
    });
  });

  it('maps a German small business without VAT id', () => {
    const partner = mapAccountToPartner(
      agentAccount({
        Parent_Agency__c: null,
        Parent_Agency__r: null,
        Territory__c: 'DE-WEST',
        VAT_Id__c: null,
        Tax_Number__c: '123/4567/8901',
        VAT_Regime__c: 'Small Business',
        Withholding__c: null,
        Enasarco__c: null,
        BillingCountryCode: 'DE',
      }),
    );

    expect(partner.parentId).toBeUndefined();
    expect(partner.taxProfile).toEqual({
      country: 'DE',
      vatRegime: 'small_business',
      taxNumber: '123/4567/8901',
      address: { street: 'Via Roma 12', postalCode: '20121', city: 'Milano', country: 'DE' },
    });
  });

  it('raises for an unknown partner kind', () => {
    const error = mappingError(() => mapAccountToPartner(agentAccount({ Partner_Kind__c: 'Reseller' })));

    expect(error.sObjectType).toBe('Account');
    expect(error.recordId).toBe(AGENT_ID);
    expect(error.field).toBe('Partner_Kind__c');
    expect(error.value).toBe('Reseller');
    expect(error.message).toContain(`Account ${AGENT_ID}: Partner_Kind__c is "Reseller"; unknown picklist value`);
  });

  it('raises for a parent without its partner number', () => {
    const error = mappingError(() => mapAccountToPartner(agentAccount({ Parent_Agency__r: null })));

    expect(error.field).toBe('Parent_Agency__r.Partner_Number__c');
  });

  it('raises for a territory outside Germany and Italy', () => {
    const error = mappingError(() => mapAccountToPartner(agentAccount({ Territory__c: 'FR-SOUTH' })));

    expect(error.field).toBe('Territory__c');
  });

  it('raises for a missing e-mail address', () => {
    const error = mappingError(() => mapAccountToPartner(agentAccount({ Email__c: ' ' })));

    expect(error.field).toBe('Email__c');
  });
});

describe('mapProduct', () => {
  it('maps family and unit', () => {
    expect(mapProduct(product())).toEqual({
      id: PRODUCT_ID,
      code: 'PV-DE-KOMPLETT',
      name: 'Photovoltaikanlage Komplett',
      category: 'pv',
      unit: 'kWp',
    });
  });

  it('raises for an unknown family', () => {
    const error = mappingError(() => mapProduct(product({ Family: 'Insurance' })));

    expect(error.sObjectType).toBe('Product2');
    expect(error.field).toBe('Family');
  });
});

describe('mapOrderStateEvents', () => {
  it('maps the created row and each status change, oldest first', () => {
    const events = mapOrderStateEvents(order(), [item()], HISTORY);

    expect(events.map((event) => [event.sourceEventId, event.state, event.occurredAt])).toEqual([
      ['0177Q0000000001QAA', 'signed', '2026-10-30T15:09:00.000Z'],
      ['0177Q0000000002QAA', 'validated', '2026-11-02T08:30:00.000Z'],
      ['0177Q0000000003QAA', 'supply_active', '2026-11-20T06:15:00.000Z'],
    ]);
    expect(events.every((event) => event.source === 'salesforce' && event.orderId === ORDER_ID)).toBe(true);
    expect(events[1]?.order).toBeUndefined();
    expect(events[2]?.order).toBeUndefined();
  });

  it('puts the order fields on the first event', () => {
    const [first] = mapOrderStateEvents(order(), [item()], HISTORY);

    expect(first?.order).toEqual({
      orderNumber: '00000001',
      partnerId: 'P00002',
      productId: PRODUCT_ID,
      value: '1116.15',
      quantity: '3500',
      territory: 'DE-SOUTH',
      attributes: {
        Campaign_Code__c: 'HERBST26-DE',
        Annual_Consumption_kWh__c: 3500,
        Install_Completed_Within_SLA__c: null,
        Brand_New_Field__c: true,
      },
    });
  });

  it('produces events that pass the intake schema', () => {
    const events = mapOrderStateEvents(order(), [item()], HISTORY);

    expect(validateOrderEventBatch({ events }).ok).toBe(true);
  });

  it('uses the current status when the status never changed', () => {
    const events = mapOrderStateEvents(order({ Status: 'Assigned' }), [item()], [HISTORY[1]!]);

    expect(events.map((event) => event.state)).toEqual(['assigned']);
  });

  it('falls back to CreatedDate without a created row', () => {
    const events = mapOrderStateEvents(order({ Status: 'Signed' }), [item()], []);

    expect(events).toHaveLength(1);
    expect(events[0]?.sourceEventId).toBe(`${ORDER_ID}:created`);
    expect(events[0]?.occurredAt).toBe('2026-10-30T15:09:00.000Z');
  });

  it('sums the quantities of items of one product', () => {
    const items = [
      item({ Quantity: 6.4, TotalPrice: 10_000 }),
      item({ Id: '8027Q0000000002QAA', Quantity: 1.2, TotalPrice: 1_900.5 }),
    ];

    const [first] = mapOrderStateEvents(order({ TotalAmount: null }), items, HISTORY);

    expect(first?.order?.quantity).toBe('7.6');
    expect(first?.order?.value).toBe('11900.50');
  });

  it('raises for an unknown status in the history', () => {
    const broken = history('0177Q0000000009QAA', 'Status', 'Validated', 'On Hold', '2026-11-03T08:30:00.000+0000');

    const error = mappingError(() => mapOrderStateEvents(order(), [item()], [...HISTORY, broken]));

    expect(error.sObjectType).toBe('OrderHistory');
    expect(error.recordId).toBe('0177Q0000000009QAA');
    expect(error.field).toBe('NewValue');
    expect(error.value).toBe('On Hold');
  });

  it('raises for an unknown current status', () => {
    const error = mappingError(() => mapOrderStateEvents(order({ Status: 'Draft' }), [item()], []));

    expect(error.recordId).toBe(ORDER_ID);
    expect(error.field).toBe('Status');
  });

  it('raises for items of two products', () => {
    const items = [item(), item({ Id: '8027Q0000000002QAA', Product2Id: '01t7Q0000000002QAA' })];

    const error = mappingError(() => mapOrderStateEvents(order(), items, HISTORY));

    expect(error.field).toBe('OrderItems.Product2Id');
  });

  it('raises for an order without items', () => {
    const error = mappingError(() => mapOrderStateEvents(order(), [], HISTORY));

    expect(error.field).toBe('OrderItems');
  });

  it('raises for an order without sales partner', () => {
    const error = mappingError(() =>
      mapOrderStateEvents(order({ Sales_Partner__c: null, Sales_Partner__r: null }), [item()], HISTORY),
    );

    expect(error.field).toBe('Sales_Partner__r.Partner_Number__c');
  });

  it('raises for an amount with more than two fraction digits', () => {
    const error = mappingError(() => mapOrderStateEvents(order({ TotalAmount: 10.005 }), [item()], HISTORY));

    expect(error.field).toBe('TotalAmount');
  });
});
