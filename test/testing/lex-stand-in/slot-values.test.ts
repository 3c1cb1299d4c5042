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

  it('ORIGINAL_VALUE keeps what the user said, and lists the sample values it matched', () => {
    expect(resolveSlotValue('Big', 'Size', { slotTypes: sizes })).toEqual({ originalValue: 'Big', interpretedValue: 'Big', resolvedValues: ['large'] });
    expect(resolveSlotValue('Analytical Engines', 'Size', { slotTypes: sizes })).toEqual({ originalValue: 'Analytical Engines', interpretedValue: 'Analytical Engines', resolvedValues: [] });
  });
});
