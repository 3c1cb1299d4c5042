// Built-in slot types resolved as Lex V2 fills them (Lex V2 developer guide, "Built-in slot types"): what the user
// said becomes `interpretedValue`, or the slot stays empty and Lex re-prompts.
import { describe, expect, it } from 'vitest';
import { parseNumber, resolveSlotValue, spokenDigits } from '../../../src/testing/lex-stand-in';

const interpreted = (text: string, type: string) => resolveSlotValue(text, type, { now: new Date('2026-12-01T12:00:00Z') })?.interpretedValue;

describe('built-in slot types', () => {
  it.each([
    ['four one five, five five five, two six seven one', '4155552671'],
    ['my number is 415-555-2671', '4155552671'],
    ['plus four four two oh seven one eight three eight seven five oh', '+442071838750'],
    ['four one five double five five two six seven one', '4155552671'],
    ['+1 (415) 555 2671', '+14155552671'],
  ])('AMAZON.PhoneNumber reads "%s" as %s', (text, digits) => {
    expect(interpreted(text, 'AMAZON.PhoneNumber')).toBe(digits);
  });

  it('AMAZON.PhoneNumber leaves the slot empty for what is no possible number of the locale (libphonenumber-js) or no digits at all', () => {
    expect(interpreted('five five five', 'AMAZON.PhoneNumber')).toBeUndefined();
    expect(interpreted('555 1234', 'AMAZON.PhoneNumber')).toBeUndefined(); // seven digits: no US number
    expect(interpreted('call me maybe', 'AMAZON.PhoneNumber')).toBeUndefined();
  });

  it('AMAZON.PhoneNumber takes national numbers in the locale country', () => {
    expect(resolveSlotValue('020 7183 8750', 'AMAZON.PhoneNumber', { localeId: 'en_GB' })?.interpretedValue).toBe('02071838750');
  });

  it.each([['forty two', 42], ['two hundred and five', 205], ['1,200', 1200], ['three thousand four hundred', 3400], ['minus three', -3], ['three point five', 3.5], ['7', 7]])(
    'AMAZON.Number reads "%s" as %s', (text, n) => { expect(parseNumber(text)).toBe(n); },
  );

  it('AMAZON.Number leaves the slot empty for words that are no number', () => {
    expect(interpreted('a few', 'AMAZON.Number')).toBeUndefined();
  });

  it.each([['ada', 'Ada'], ['my name is grace', 'Grace'], ["it's O'Brien", "O'Brien"]])('AMAZON.FirstName/LastName read "%s" as %s', (text, name) => {
    expect(interpreted(text, 'AMAZON.FirstName')).toBe(name);
  });

  it.each([['yes please', 'Yes'], ['yeah', 'Yes'], ['no thanks', 'No'], ['nope', 'No'], ['maybe', 'Maybe'], ["i don't know", "Don't know"]])('AMAZON.Confirmation reads "%s" as %s', (text, v) => {
    expect(interpreted(text, 'AMAZON.Confirmation')).toBe(v);
  });

  it('AMAZON.AlphaNumeric joins letters and spoken digits; AMAZON.Date resolves relative dates to ISO dates', () => {
    expect(interpreted('a b one two 3', 'AMAZON.AlphaNumeric')).toBe('AB123');
    expect(interpreted('tomorrow', 'AMAZON.Date')).toBe('2026-12-02');
    expect(interpreted('December 24th', 'AMAZON.Date')).toBe('2026-12-24');
  });

  // lexv2/latest/dg/built-in-slot-date.html, with its own example day (2020-11-25, a Wednesday).
  it.each([
    ['today', '2020-11-25'], ['November twenty-fifth', '2020-11-25'],
    ['next week', '2020-11-29'], ['last week', '2020-11-16'], ['this week', '2020-11-23'],
    ['next month', '2020-12-31'], ['this month', '2020-11-01'],
    ['next year', '2021-12-31'], ['last year', '2019-01-01'],
  ])('AMAZON.Date reads "%s" as Lex V2 does: %s', (text, date) => {
    expect(resolveSlotValue(text, 'AMAZON.Date', { now: new Date(2020, 10, 25, 12) })?.interpretedValue).toBe(date);
  });

  it('AMAZON.Date leaves the slot empty for what is no date', () => {
    expect(interpreted('purple', 'AMAZON.Date')).toBeUndefined();
  });

  // lexv2/latest/dg/built-in-slot-time.html: exact times, ambiguous ones (null, both readings), and parts of the day.
  it.each([
    ['10 AM', '10:00', ['10:00']], ['5 in the evening', '17:00', ['17:00']], ['5 evening', '17:00', ['17:00']], ['17:30', '17:30', ['17:30']],
    ['half past seven pm', '19:30', ['19:30']], ['noon', '12:00', ['12:00']], ['in the morning', 'MO', ['MO']], ['evening', 'EV', ['EV']],
    ["10 o'clock", null, ['10:00', '22:00']],
  ])('AMAZON.Time reads "%s" as %s', (text, value, resolved) => {
    expect(resolveSlotValue(text, 'AMAZON.Time')).toEqual({ originalValue: text, interpretedValue: value, resolvedValues: resolved });
  });

  it('AMAZON.Time leaves the slot empty for what is no time ("purple" is not read back as a time)', () => {
    expect(resolveSlotValue('purple', 'AMAZON.Time')).toBeUndefined();
    expect(resolveSlotValue('25 pm', 'AMAZON.Time')).toBeUndefined();
  });

  // lexv2/latest/dg/built-in-slot-duration.html, its examples.
  it.each([['ten minutes', 'PT10M'], ['five hours', 'PT5H'], ['three days', 'P3D'], ['forty five seconds', 'PT45S'], ['eight weeks', 'P8W'], ['seven years', 'P7Y'],
    ['five hours ten minutes', 'PT5H10M'], ['two years three hours ten minutes', 'P2YT3H10M']])('AMAZON.Duration reads "%s" as %s', (text, iso) => {
    expect(interpreted(text, 'AMAZON.Duration')).toBe(iso);
  });

  it.each([['jane dot doe at example dot com', 'jane.doe@example.com'], ['Bob_Smith+lex@Example.org', 'bob_smith+lex@example.org']])('AMAZON.EmailAddress reads "%s" as %s', (text, email) => {
    expect(interpreted(text, 'AMAZON.EmailAddress')).toBe(email);
  });

  it.each([['five percent', '5%'], ['23.5%', '23.5%'], ['twenty five per cent', '25%']])('AMAZON.Percentage reads "%s" as %s (lexv2/latest/dg/built-in-slot-percent.html)', (text, pct) => {
    expect(interpreted(text, 'AMAZON.Percentage')).toBe(pct);
  });

  it('AMAZON.City, Country and State keep the name as said when the gazetteer knows the place, and fill nothing otherwise', () => {
    expect(interpreted('Seattle', 'AMAZON.City')).toBe('Seattle');
    expect(interpreted('in São Paulo', 'AMAZON.City')).toBe('São Paulo');
    expect(interpreted('purple', 'AMAZON.City')).toBeUndefined();
    expect(interpreted('Germany', 'AMAZON.Country')).toBe('Germany');
    expect(interpreted('united states', 'AMAZON.Country')).toBe('united states');
    expect(interpreted('Atlantis', 'AMAZON.Country')).toBeUndefined();
    expect(interpreted('Queensland', 'AMAZON.State')).toBe('Queensland');
    expect(interpreted('Washington', 'AMAZON.State')).toBe('Washington');
    expect(interpreted('Narnia', 'AMAZON.State')).toBeUndefined();
  });

  it('throws for a built-in type it does not model instead of keeping what was said (startLexStandIn refuses such bots up front)', () => {
    expect(() => resolveSlotValue('ten dollars', 'AMAZON.Currency')).toThrow(/does not model the built-in slot type AMAZON.Currency/);
  });

  it('spokenDigits ignores filler words', () => {
    expect(spokenDigits("it's five five five, one two three four")).toBe('5551234');
    expect(spokenDigits('double five one')).toBe('551');
  });
});

describe('custom slot types', () => {
  const sizes = [{ name: 'Size', slotTypeValues: [{ sampleValue: { value: 'large' }, synonyms: [{ value: 'big' }] }] }];
  it('TOP_RESOLUTION gives the sample value a synonym stands for, and no value for what matches nothing', () => {
    const top = [{ ...sizes[0], valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' } }];
    expect(resolveSlotValue('big', 'Size', { slotTypes: top })).toEqual({ originalValue: 'big', interpretedValue: 'large', resolvedValues: ['large'] });
    expect(resolveSlotValue('tiny', 'Size', { slotTypes: top })).toBeUndefined();
  });

  // lexv2/latest/dg/custom-slot-types.html: a synonym resolves to its value, first in resolvedValues.
  it('keeps the punctuation of what was said ("L.A.") and matches values without regard to case or punctuation', () => {
    const cities = [{ name: 'Metro', valueSelectionSetting: { resolutionStrategy: 'ORIGINAL_VALUE' }, slotTypeValues: [{ sampleValue: { value: 'Los Angeles' }, synonyms: [{ value: 'LA' }] }] }];
    expect(resolveSlotValue('L.A.', 'Metro', { slotTypes: cities })).toEqual({ originalValue: 'L.A.', interpretedValue: 'L.A.', resolvedValues: ['Los Angeles'] });
    const top = [{ ...cities[0], valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' } }];
    expect(resolveSlotValue('L.A.', 'Metro', { slotTypes: top })).toEqual({ originalValue: 'L.A.', interpretedValue: 'Los Angeles', resolvedValues: ['Los Angeles'] });
  });

  it('CONCATENATION gives every value said, resolved and joined in the order said (the API reference lists it without a description)', () => {
    const toppings = [{ name: 'Topping', valueSelectionSetting: { resolutionStrategy: 'CONCATENATION' }, slotTypeValues: [
      { sampleValue: { value: 'mushroom' }, synonyms: [{ value: 'shrooms' }] }, { sampleValue: { value: 'olive' } },
    ] }];
    expect(resolveSlotValue('olive and shrooms', 'Topping', { slotTypes: toppings })).toEqual({ originalValue: 'olive and shrooms', interpretedValue: 'olive mushroom', resolvedValues: ['olive', 'mushroom'] });
    expect(resolveSlotValue('ham', 'Topping', { slotTypes: toppings })).toBeUndefined();
  });

  it('a type extending AMAZON.AlphaNumeric takes only values that match its regexFilter', () => {
    const policy = [{ name: 'Policy', parentSlotTypeSignature: 'AMAZON.AlphaNumeric', valueSelectionSetting: { resolutionStrategy: 'ORIGINAL_VALUE', regexFilter: { pattern: '[A-Z]{2}[0-9]{4}' } } }];
    expect(resolveSlotValue('AB1234', 'Policy', { slotTypes: policy })?.interpretedValue).toBe('AB1234');
    expect(resolveSlotValue('ABC123', 'Policy', { slotTypes: policy })).toBeUndefined();
  });

  it('ORIGINAL_VALUE keeps what the user said, and lists the sample values it matched', () => {
    expect(resolveSlotValue('Big', 'Size', { slotTypes: sizes })).toEqual({ originalValue: 'Big', interpretedValue: 'Big', resolvedValues: ['large'] });
    expect(resolveSlotValue('Analytical Engines', 'Size', { slotTypes: sizes })).toEqual({ originalValue: 'Analytical Engines', interpretedValue: 'Analytical Engines', resolvedValues: [] });
  });
});
