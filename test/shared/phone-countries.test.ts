import { getCountries } from 'libphonenumber-js/max';
import { expect, it } from 'vitest';
import { PHONE_COUNTRIES } from '../../src/shared/phone-countries';

it("copies libphonenumber-js's country list exactly (run scripts/generate-phone-countries.ts after an upgrade)", () => {
  expect([...PHONE_COUNTRIES]).toEqual([...getCountries()].sort());
});
