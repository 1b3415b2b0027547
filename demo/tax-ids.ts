/**
 * Synthetic tax identifiers with valid check digits, so that demo partners pass format checks:
 * German USt-IdNr and Steuernummer, Austrian UID, Italian partita IVA and codice fiscale.
 * The numbers are random, so any match with a real registration is a coincidence.
 */
import type { Random } from './random.js';

/** Returns a German VAT id: `DE`, 8 random digits and the ISO 7064 MOD 11,10 check digit. */
export function germanVatId(random: Random): string {
  const body = String(random.integer(1, 9)) + random.digits(7);
  return `DE${body}${germanVatCheckDigit(body)}`;
}

/** Returns the ISO 7064 MOD 11,10 check digit of the first 8 digits of a German VAT id. */
export function germanVatCheckDigit(body: string): number {
  let product = 10;
  for (const digit of body) {
    let sum = (Number(digit) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return (11 - product) % 10;
}

/**
 * Returns a German Steuernummer in the layout of one state per territory: `NN/NNN/NNNNN` in the
 * north and east (Hamburg, Berlin), `NNN/NNN/NNNNN` in the south (Bavaria) and `NNN/NNNN/NNNN` in
 * the west (North Rhine-Westphalia).
 * NOTE: other states of a territory use other layouts, and the last digit is not a computed check digit.
 */
export function germanTaxNumber(random: Random, territory: string): string {
  if (territory === 'DE-SOUTH') return `${random.digits(3)}/${random.digits(3)}/${random.digits(5)}`;
  if (territory === 'DE-WEST') return `${random.digits(3)}/${random.digits(4)}/${random.digits(4)}`;
  return `${random.digits(2)}/${random.digits(3)}/${random.digits(5)}`;
}

/** Returns an Austrian VAT id: `ATU`, 7 random digits and the check digit. */
export function austrianVatId(random: Random): string {
  const body = random.digits(7);
  return `ATU${body}${austrianVatCheckDigit(body)}`;
}

/** Returns the check digit of the 7 digits after `ATU`: weights 1 and 2 alternate, and products above 9 count as their digit sum. */
export function austrianVatCheckDigit(body: string): number {
  let sum = 0;
  for (const [index, digit] of [...body].entries()) {
    const product = Number(digit) * (index % 2 === 0 ? 1 : 2);
    sum += product > 9 ? Math.floor(product / 10) + (product % 10) : product;
  }
  return (10 - ((sum + 4) % 10)) % 10;
}

/**
 * Returns an Italian partita IVA: 7 random digits of the registration number, 3 of the tax office
 * (`province`, 1 to 100) and a Luhn check digit.
 */
export function italianVatNumber(random: Random, province: number): string {
  const body = random.digits(7) + String(province).padStart(3, '0');
  return body + String(italianVatCheckDigit(body));
}

/** Returns the Luhn check digit of the first 10 digits of a partita IVA. */
export function italianVatCheckDigit(body: string): number {
  let sum = 0;
  for (const [index, digit] of [...body].entries()) {
    const value = Number(digit);
    if (index % 2 === 0) {
      sum += value;
    } else {
      const doubled = value * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}

const MONTH_LETTERS = 'ABCDEHLMPRST';

// Values of a character in an odd (1st, 3rd, …) position for the check character: digits 0-9, then A-Z.
const ODD_POSITION_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
  25, 24, 23,
];

/** A person whose codice fiscale is built. `municipality` is the cadastral code of the place of birth, such as F205 (Milan). */
export interface FiscalCodePerson {
  firstName: string;
  lastName: string;
  female: boolean;
  birthDate: Date;
  municipality: string;
}

/** Returns the Italian codice fiscale of a person: 16 characters, the last one a check character. */
export function italianFiscalCode(person: FiscalCodePerson): string {
  const year = String(person.birthDate.getUTCFullYear() % 100).padStart(2, '0');
  const month = MONTH_LETTERS[person.birthDate.getUTCMonth()]!;
  const day = String(person.birthDate.getUTCDate() + (person.female ? 40 : 0)).padStart(2, '0');
  const code = `${lastNameCode(person.lastName)}${firstNameCode(person.firstName)}${year}${month}${day}${person.municipality}`;
  return code + checkCharacter(code);
}

function letters(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase();
}

function splitLetters(name: string): { consonants: string; vowels: string } {
  const upper = letters(name);
  return { consonants: upper.replace(/[AEIOU]/g, ''), vowels: upper.replace(/[^AEIOU]/g, '') };
}

function lastNameCode(lastName: string): string {
  const { consonants, vowels } = splitLetters(lastName);
  return (consonants + vowels + 'XXX').slice(0, 3);
}

/** Returns the first-name code: the 1st, 3rd and 4th consonant when there are four or more, otherwise as for a last name. */
function firstNameCode(firstName: string): string {
  const { consonants, vowels } = splitLetters(firstName);
  if (consonants.length >= 4) return consonants[0]! + consonants[2]! + consonants[3]!;
  return (consonants + vowels + 'XXX').slice(0, 3);
}

function checkCharacter(code: string): string {
  let sum = 0;
  for (const [index, character] of [...code].entries()) {
    const position = character >= '0' && character <= '9' ? Number(character) : character.charCodeAt(0) - 55;
    if (index % 2 === 0) {
      sum += ODD_POSITION_VALUES[position]!;
    } else {
      sum += character >= '0' && character <= '9' ? Number(character) : character.charCodeAt(0) - 65;
    }
  }
  return String.fromCharCode(65 + (sum % 26));
}
