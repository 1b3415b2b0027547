/**
 * Word lists and builders for German, Austrian and Italian partner names and addresses. E-mail
 * addresses use the reserved `.example` top-level domain, so a demo mail never reaches a real
 * mailbox even with a real SMTP server configured.
 */
import type { PartnerKind } from '../domain/model.js';
import type { Random } from './random.js';

export type Country = 'DE' | 'IT';

/** A city with its range of postal codes and, for Italy, the province tax-office code and cadastral code. */
export interface City {
  name: string;
  postalCodes: readonly [number, number];
  province?: number;
  cadastralCode?: string;
}

export const TERRITORIES = ['DE-NORTH', 'DE-SOUTH', 'DE-WEST', 'DE-EAST', 'IT-NORTH', 'IT-CENTRE', 'IT-SOUTH'] as const;
export type Territory = (typeof TERRITORIES)[number];

export const CITIES: Readonly<Record<Territory | 'AT', readonly City[]>> = {
  'DE-NORTH': [
    { name: 'Hamburg', postalCodes: [20095, 22769] },
    { name: 'Bremen', postalCodes: [28195, 28779] },
    { name: 'Hannover', postalCodes: [30159, 30669] },
    { name: 'Kiel', postalCodes: [24103, 24159] },
    { name: 'Lübeck', postalCodes: [23552, 23570] },
    { name: 'Rostock', postalCodes: [18055, 18147] },
  ],
  'DE-SOUTH': [
    { name: 'München', postalCodes: [80331, 81929] },
    { name: 'Stuttgart', postalCodes: [70173, 70629] },
    { name: 'Nürnberg', postalCodes: [90402, 90491] },
    { name: 'Augsburg', postalCodes: [86150, 86199] },
    { name: 'Regensburg', postalCodes: [93047, 93059] },
    { name: 'Freiburg im Breisgau', postalCodes: [79098, 79117] },
  ],
  'DE-WEST': [
    { name: 'Köln', postalCodes: [50667, 51149] },
    { name: 'Düsseldorf', postalCodes: [40210, 40629] },
    { name: 'Dortmund', postalCodes: [44135, 44388] },
    { name: 'Essen', postalCodes: [45127, 45359] },
    { name: 'Bonn', postalCodes: [53111, 53229] },
    { name: 'Münster', postalCodes: [48143, 48167] },
  ],
  'DE-EAST': [
    { name: 'Berlin', postalCodes: [10115, 14199] },
    { name: 'Leipzig', postalCodes: [4103, 4357] },
    { name: 'Dresden', postalCodes: [1067, 1328] },
    { name: 'Erfurt', postalCodes: [99084, 99099] },
    { name: 'Magdeburg', postalCodes: [39104, 39130] },
    { name: 'Potsdam', postalCodes: [14467, 14482] },
  ],
  'IT-NORTH': [
    { name: 'Milano', postalCodes: [20121, 20162], province: 15, cadastralCode: 'F205' },
    { name: 'Torino', postalCodes: [10121, 10156], province: 1, cadastralCode: 'L219' },
    { name: 'Bologna', postalCodes: [40121, 40141], province: 37, cadastralCode: 'A944' },
    { name: 'Verona', postalCodes: [37121, 37142], province: 23, cadastralCode: 'L781' },
    { name: 'Padova', postalCodes: [35121, 35143], province: 28, cadastralCode: 'G224' },
    { name: 'Bergamo', postalCodes: [24121, 24129], province: 16, cadastralCode: 'A794' },
  ],
  'IT-CENTRE': [
    { name: 'Roma', postalCodes: [118, 199], province: 58, cadastralCode: 'H501' },
    { name: 'Firenze', postalCodes: [50121, 50145], province: 48, cadastralCode: 'D612' },
    { name: 'Perugia', postalCodes: [6121, 6135], province: 54, cadastralCode: 'G478' },
    { name: 'Ancona', postalCodes: [60121, 60131], province: 42, cadastralCode: 'A271' },
    { name: 'Pisa', postalCodes: [56121, 56128], province: 50, cadastralCode: 'G702' },
    { name: 'Pescara', postalCodes: [65121, 65129], province: 68, cadastralCode: 'G482' },
  ],
  'IT-SOUTH': [
    { name: 'Napoli', postalCodes: [80121, 80147], province: 63, cadastralCode: 'F839' },
    { name: 'Bari', postalCodes: [70121, 70132], province: 72, cadastralCode: 'A662' },
    { name: 'Palermo', postalCodes: [90121, 90151], province: 82, cadastralCode: 'G273' },
    { name: 'Catania', postalCodes: [95121, 95131], province: 87, cadastralCode: 'C351' },
    { name: 'Salerno', postalCodes: [84121, 84135], province: 65, cadastralCode: 'H703' },
    { name: 'Lecce', postalCodes: [73100, 73100], province: 75, cadastralCode: 'E506' },
  ],
  AT: [
    { name: 'Wien', postalCodes: [1010, 1230] },
    { name: 'Graz', postalCodes: [8010, 8055] },
    { name: 'Linz', postalCodes: [4020, 4040] },
    { name: 'Salzburg', postalCodes: [5020, 5026] },
    { name: 'Innsbruck', postalCodes: [6020, 6080] },
  ],
};

// prettier-ignore
const STREETS: Readonly<Record<Country | 'AT', readonly string[]>> = {
  DE: [
    'Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schulstraße', 'Lindenstraße', 'Bergstraße', 'Kirchstraße',
    'Waldstraße', 'Ringstraße', 'Am Markt', 'Mühlenweg', 'Friedrichstraße', 'Goethestraße', 'Schillerstraße',
    'Industriestraße', 'Rosenweg', 'Am Gewerbepark', 'Hafenstraße', 'Kastanienallee', 'Poststraße',
  ],
  IT: [
    'Via Roma', 'Via Garibaldi', 'Via Mazzini', 'Via Cavour', 'Corso Italia', 'Via Dante Alighieri', 'Via Verdi',
    'Viale della Repubblica', 'Via XX Settembre', 'Via Marconi', 'Via Matteotti', 'Via Gramsci', 'Via dei Mille',
    'Via Nazionale', 'Piazza della Libertà', 'Via Manzoni', 'Corso Vittorio Emanuele II', 'Via San Francesco',
  ],
  AT: ['Mariahilfer Straße', 'Landstraße', 'Hauptplatz', 'Linzer Gasse', 'Grazer Straße', 'Herrengasse'],
};

interface FirstNames {
  female: readonly string[];
  male: readonly string[];
}

// prettier-ignore
const FIRST_NAMES: Readonly<Record<Country, FirstNames>> = {
  DE: {
    male: [
      'Lukas', 'Jonas', 'Leon', 'Finn', 'Paul', 'Felix', 'Maximilian', 'Tim', 'Jan', 'Niklas', 'Sebastian', 'Thomas',
      'Michael', 'Andreas', 'Stefan', 'Markus', 'Christian', 'Daniel', 'Tobias', 'Florian', 'Matthias', 'Jürgen',
    ],
    female: [
      'Anna', 'Laura', 'Julia', 'Lena', 'Sarah', 'Katharina', 'Lisa', 'Sophie', 'Marie', 'Hannah', 'Sabine',
      'Claudia', 'Petra', 'Andrea', 'Nicole', 'Stefanie', 'Melanie', 'Jana', 'Carina', 'Miriam', 'Birgit', 'Anja',
    ],
  },
  IT: {
    male: [
      'Marco', 'Luca', 'Giuseppe', 'Francesco', 'Alessandro', 'Andrea', 'Matteo', 'Lorenzo', 'Davide', 'Simone',
      'Stefano', 'Paolo', 'Roberto', 'Antonio', 'Giovanni', 'Salvatore', 'Vincenzo', 'Fabio', 'Emanuele', 'Riccardo',
    ],
    female: [
      'Giulia', 'Francesca', 'Chiara', 'Sara', 'Martina', 'Valentina', 'Federica', 'Elena', 'Alessia', 'Silvia',
      'Laura', 'Paola', 'Maria', 'Anna', 'Elisa', 'Roberta', 'Serena', 'Claudia', 'Ilaria', 'Giorgia',
    ],
  },
};

// prettier-ignore
const LAST_NAMES: Readonly<Record<Country, readonly string[]>> = {
  DE: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch',
    'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger', 'Hartmann',
    'Lange', 'Werner', 'Krause', 'Lehmann', 'Köhler', 'Maier', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Scholz',
    'Möller', 'Jansen', 'Hansen', 'Petersen', 'Vogel', 'Friedrich', 'Keller', 'Günther', 'Berger', 'Roth', 'Beck',
    'Lorenz', 'Baumann', 'Franke', 'Albrecht', 'Schuster', 'Simon', 'Ludwig', 'Böhm', 'Winter', 'Kraus', 'Seidel',
    'Brandt',
  ],
  IT: [
    'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno',
    'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', 'Barbieri',
    'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone', 'Longo', 'Gentile',
    'Martinelli', 'Vitale', 'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo", 'Marchetti', 'Parisi', 'Villa',
  ],
};

/** Landscape and brand-like words for company names. */
// prettier-ignore
const COMPANY_WORDS: Readonly<Record<Country, readonly string[]>> = {
  DE: [
    'Nordlicht', 'Elbe', 'Weser', 'Rhein', 'Main', 'Isar', 'Spree', 'Alster', 'Hanse', 'Alpen', 'Ostsee', 'Nordsee',
    'Harz', 'Taunus', 'Eifel', 'Schwarzwald', 'Allgäu', 'Bodensee', 'Lausitz', 'Ruhr', 'Mosel', 'Neckar', 'Havel',
    'Saale', 'Sonnenwerk', 'Lichtblick', 'Kompass', 'Leuchtturm', 'Windrose', 'Fichtel',
  ],
  IT: [
    'Adriatica', 'Tirreno', 'Dolomiti', 'Appennino', 'Laguna', 'Vesuvio', 'Etna', 'Padana', 'Lario', 'Solaria',
    'Levante', 'Ponente', 'Maestrale', 'Scirocco', 'Aurora', 'Zenit', 'Delta', 'Sirio', 'Orione', 'Vega', 'Gargano',
    'Chianti', 'Brenta', 'Salento', 'Murgia', 'Sila', 'Monviso', 'Garda', 'Cilento', 'Riviera',
  ],
};

/** A generated person. */
export interface Person {
  firstName: string;
  lastName: string;
  female: boolean;
}

/** Returns a random person with a first and last name of the country. */
export function randomPerson(random: Random, country: Country): Person {
  const female = random.chance(0.45);
  const firstNames = FIRST_NAMES[country];
  return {
    firstName: random.pick(female ? firstNames.female : firstNames.male),
    lastName: random.pick(LAST_NAMES[country]),
    female,
  };
}

/** Patterns of company names per partner kind. `{w}` is a company word, `{n}` and `{m}` are last names. */
// prettier-ignore
const COMPANY_PATTERNS: Readonly<
  Record<Country, Readonly<Record<Exclude<PartnerKind, 'sales_agent'>, readonly string[]>>>
> = {
  DE: {
    agency: [
      '{w} Energievertrieb GmbH', 'Vertriebsagentur {n} GmbH', '{n} & {m} Vertriebs-GmbH',
      '{w}-Energie Vertrieb GmbH & Co. KG', 'Energieberatung {n} GmbH', 'Handelsagentur {w} GmbH',
    ],
    outbound: ['{w} Dialog GmbH', 'Callcenter {w} GmbH', '{w}Connect Kundenservice GmbH', 'TeleSales {w} GmbH'],
    installer: [
      'Solartechnik {n} GmbH', 'Elektro {n} e.K.', '{n} Haustechnik GmbH', 'Wärmepumpen {w} GmbH',
      '{n} Sanitär-Heizung-Klima GmbH', '{w} Solar GmbH', '{n} & {m} Gebäudetechnik GmbH',
    ],
    technician: [
      'Elektrotechnik {n} e.K.', 'Kälte-Klima-Service {n}', '{n} Gebäudeservice e.K.', 'E-Mobil-Service {n}',
    ],
  },
  IT: {
    agency: [
      'Agenzia {w} Energia S.r.l.', '{n} Energia S.r.l.', '{w} Servizi Energetici S.r.l.', 'Gruppo {n} S.a.s.',
      '{n} & {m} Consulenze S.r.l.',
    ],
    outbound: ['{w} Contact Center S.r.l.', 'Teleservizi {w} S.p.A.', 'Call Center {w} S.r.l.'],
    installer: [
      'Impianti {n} S.r.l.', '{w} Fotovoltaico S.r.l.', 'Termoidraulica {n} S.n.c.', 'Elettroimpianti {n} S.r.l.s.',
      '{w} Energia Rinnovabile S.r.l.',
    ],
    technician: ['Climatizzazione {n}', 'Assistenza Tecnica {n}', 'Elettricista {n}', 'Termotecnica {n}'],
  },
};

/** Returns a company name for a partner kind, for example "Solartechnik Weber GmbH". */
export function companyName(random: Random, country: Country, kind: Exclude<PartnerKind, 'sales_agent'>): string {
  const lastNames = LAST_NAMES[country];
  return random
    .pick(COMPANY_PATTERNS[country][kind])
    .replace('{w}', random.pick(COMPANY_WORDS[country]))
    .replace('{n}', random.pick(lastNames))
    .replace('{m}', random.pick(lastNames));
}

/** Returns a street address such as "Hauptstraße 12" or "Via Roma 12". */
export function streetAddress(random: Random, country: Country | 'AT'): string {
  return `${random.pick(STREETS[country])} ${random.integer(1, 140)}`;
}

/** Returns a postal code of the city, with leading zeros: 4 digits in Austria, 5 elsewhere. */
export function postalCode(random: Random, city: City, country: Country | 'AT'): string {
  const [low, high] = city.postalCodes;
  return String(random.integer(low, high)).padStart(country === 'AT' ? 4 : 5, '0');
}

/** Returns the lower-case ASCII slug of a name: umlauts spelt out, accents dropped, other characters as hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const MAILBOXES: Readonly<Record<Country, readonly string[]>> = {
  DE: ['info', 'verwaltung', 'buchhaltung', 'vertrieb'],
  IT: ['info', 'amministrazione', 'commerciale', 'contabilita'],
};

const LEGAL_FORMS = /\b(GmbH & Co\. KG|GmbH|e\.K\.|e\.U\.|S\.r\.l\.s?\.|S\.p\.A\.|S\.n\.c\.|S\.a\.s\.)/g;

/** Returns the e-mail address of a company (`info@<slug>.example`) or a person (`first.last<n>@<provider>.example`). */
export function emailAddress(random: Random, country: Country, name: string, person?: Person): string {
  if (person) {
    const provider = random.pick(
      country === 'DE' ? ['mail', 'posteo', 'web', 'outlook'] : ['libero', 'tiscali', 'outlook'],
    );
    return `${slug(person.firstName)}.${slug(person.lastName)}${random.integer(1, 99)}@${provider}.example`;
  }
  return `${random.pick(MAILBOXES[country])}@${slug(name.replace(LEGAL_FORMS, ''))}.example`;
}
