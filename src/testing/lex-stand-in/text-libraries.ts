// The libraries the Lex stand-in uses for text, dates and phone numbers, loaded on first use: importing cdk-fast-lex/testing for another
// stand-in needs neither installed.

let levenshtein: ((a: string, b: string) => number) | undefined;
let phone: { isPossiblePhoneNumber(text: string, defaultCountry?: string): boolean } | undefined;
let chrono: { parseDate(text: string, ref?: Date, options?: { forwardDate?: boolean }): Date | null } | undefined;

/** The Levenshtein edit distance of two strings (fastest-levenshtein). */
export function editDistance(a: string, b: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  levenshtein ??= (require('fastest-levenshtein') as { distance: (a: string, b: string) => number }).distance;
  return levenshtein(a, b);
}

/** A date said in words ("tomorrow", "December 24th"), the next one on or after `now` (chrono-node). */
export function parseSpokenDate(text: string, now: Date): Date | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  chrono ??= require('chrono-node') as typeof chrono;
  return chrono!.parseDate(text, now, { forwardDate: true }) ?? undefined;
}

/**
 * Whether a digit string is a possible phone number (libphonenumber-js): international with `+`, else national in
 * `country` (the locale's, e.g. US for en_US).
 */
export function isPossiblePhone(digits: string, country: string | undefined): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  phone ??= require('libphonenumber-js') as typeof phone;
  try {
    return digits.startsWith('+') ? phone!.isPossiblePhoneNumber(digits) : phone!.isPossiblePhoneNumber(digits, country);
  } catch {
    return false; // an unknown country code
  }
}

/** Lower case, without punctuation or accents: how place names are compared. */
const placeKey = (name: string): string => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim();

interface Gazetteer { cities: Set<string>; regions: Set<string> }
let gazetteer: Gazetteer | undefined;
function places(): Gazetteer {
  if (!gazetteer) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { cityMapping } = require('city-timezones') as { cityMapping: Array<{ city: string; city_ascii: string; province?: string; state_ansi?: string }> };
    const cities = new Set<string>();
    const regions = new Set<string>();
    for (const c of cityMapping) {
      cities.add(placeKey(c.city));
      cities.add(placeKey(c.city_ascii));
      if (c.province) regions.add(placeKey(c.province));
      if (c.state_ansi) regions.add(placeKey(c.state_ansi));
    }
    gazetteer = { cities, regions };
  }
  return gazetteer;
}

/** Whether `name` is a city of the gazetteer (city-timezones: about 7,300 cities of the world). */
export function isCity(name: string): boolean {
  const key = placeKey(name);
  return key !== '' && (places().cities.has(key) || places().cities.has(key.replace(/ city$/, '')));
}

/** Whether `name` is a state, province or region of the gazetteer (its cities' provinces, US state codes). */
export function isRegion(name: string): boolean {
  const key = placeKey(name);
  return key !== '' && places().regions.has(key);
}

let countries: Set<string> | undefined;
/** Whether `name` is a country: the English names of the ISO 3166 regions (Intl.DisplayNames), their codes, and common short forms. */
export function isCountry(name: string): boolean {
  if (!countries) {
    countries = new Set(['usa', 'us', 'america', 'uk', 'britain', 'great britain', 'england', 'scotland', 'wales', 'holland', 'the netherlands']);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const n = names.of(code);
        // An unassigned code comes back as itself.
        if (n && n !== code && !/unknown/i.test(n)) countries.add(placeKey(n));
      }
    }
  }
  return countries.has(placeKey(name));
}
