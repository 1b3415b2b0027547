/**
 * Salesforce record Ids and date-times as the REST API prints them, for generated demo records.
 */
import { KEY_PREFIXES, type SObjectType } from '../integrations/salesforce/records.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Pod identifier and reserved character that follow the key prefix in a 15-character Id. */
const INSTANCE = '7Q0';

/**
 * Returns the 18-character Id of the `sequence`-th record of a type: key prefix, instance, the
 * sequence in base 62, and the 3-character checksum suffix. Throws RangeError for a sequence that
 * does not fit in 9 base-62 digits.
 */
export function salesforceId(type: SObjectType, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new RangeError(`invalid record sequence ${sequence}; use a whole number from 0`);
  }
  let digits = '';
  let rest = sequence;
  do {
    digits = BASE62[rest % 62]! + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  if (digits.length > 9) throw new RangeError(`record sequence ${sequence} does not fit in a Salesforce Id`);

  const id15 = `${KEY_PREFIXES[type]}${INSTANCE}${digits.padStart(9, '0')}`;
  return id15 + checksumSuffix(id15);
}

/**
 * Returns the suffix that makes a 15-character Id case-insensitive: for each 5-character block, a bit per
 * upper-case letter (bit i for position i) selects one character of A-Z0-5.
 */
function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block += 1) {
    let bits = 0;
    for (let position = 0; position < 5; position += 1) {
      const character = id15[block * 5 + position]!;
      if (character >= 'A' && character <= 'Z') bits |= 1 << position;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** Formats a date-time the way Salesforce REST prints it: `2026-11-12T09:30:00.000+0000`. */
export function salesforceDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}
