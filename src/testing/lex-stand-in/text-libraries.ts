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
