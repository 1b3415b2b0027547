/**
 * A one-version plan file for tests: a wallbox promotion for two partners in November 2026. The amount is on line 15 and the payment share on line 18, which the tests of error positions use.
 */
export const WALLBOX_PLAN_YAML = `id: promo-wallbox
name: Wallbox promotion
# Assigned to two partners for the promotion's three weeks.
versions:
  - id: promo-wallbox-v1
    version: 1
    effectiveFrom: 2026-11-01
    effectiveTo: 2026-11-21
    definition:
      rules:
        - id: wallbox
          kind: fixed_per_order
          label: Wallbox sold
          categories: [emobility]
          amount: "25.00"
          payment:
            - state: validated
              share: "1"
assignments:
  - partners: [P00002, P00003]
    effectiveFrom: 2026-11-01
    effectiveTo: 2026-11-21
`;
