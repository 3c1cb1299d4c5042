// Resolves what a user said into a slot value, the way Lex V2 fills built-in and custom slot types: the value Lex
// puts in `slots.<name>.value` (`originalValue`, `interpretedValue`, `resolvedValues`), or undefined when Lex would
// not fill the slot and re-prompts instead.
import type { BotSlotType } from './bot-model';
import { editDistance as distance, isPossiblePhone, parseSpokenDate } from './text-libraries';

/** A slot value as Lex V2 sends it in events and runtime responses. */
export interface ResolvedSlotValue {
  readonly originalValue: string;
  readonly interpretedValue: string;
  readonly resolvedValues: string[];
}

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, o: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9 };
const DIGIT_WORDS: Record<string, string> = { zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
const REPEATS: Record<string, number> = { double: 2, triple: 3 };

const words = (text: string): string[] => text.toLowerCase().replace(/[^a-z0-9+.\s-]/g, ' ').split(/[\s-]+/).filter(Boolean);

/**
 * A cardinal number said in words or digits ("forty two", "1,200", "two hundred and five", "minus three",
 * "three point five"), or undefined. Covers English cardinals up to the billions; no library for this is kept up.
 */
export function parseNumber(text: string): number | undefined {
  const compact = text.trim().replace(/,/g, '');
  if (/^[-+]?\d+(\.\d+)?$/.test(compact)) return Number(compact);
  const tokens = words(text).filter((w) => w !== 'and' && w !== 'a');
  if (tokens.length === 0) return undefined;
  let sign = 1;
  if (tokens[0] === 'minus' || tokens[0] === 'negative') { sign = -1; tokens.shift(); }
  let total = 0;
  let current = 0;
  let fraction = '';
  let seen = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'point') {
      fraction = tokens.slice(i + 1).map((d) => DIGIT_WORDS[d] ?? (/^\d$/.test(d) ? d : '?')).join('');
      if (fraction === '' || fraction.includes('?')) return undefined;
      break;
    }
    if (t in UNITS) current += UNITS[t];
    else if (t in TENS) current += TENS[t];
    else if (/^\d+$/.test(t)) current += Number(t);
    else if (t === 'hundred') current = (current || 1) * 100;
    else if (t in SCALES) { total += (current || 1) * SCALES[t]; current = 0; }
    else return undefined;
    seen = true;
  }
  if (!seen) return undefined;
  const whole = total + current;
  return sign * (fraction ? Number(`${whole}.${fraction}`) : whole);
}

/** Spoken or typed digits as a digit string: "four one five", "double five", "oh", "+44 20", "415-555-2671". */
export function spokenDigits(text: string): string | undefined {
  let out = text.trim().startsWith('+') || /^plus\b/i.test(text.trim()) ? '+' : '';
  let repeat = 1;
  for (const t of words(text)) {
    if (t === 'plus' || t === '+') continue;
    if (t in REPEATS) { repeat = REPEATS[t]; continue; }
    let digits: string | undefined;
    if (/^\+?[\d.]+$/.test(t)) digits = t.replace(/[+.]/g, '');
    else if (t in DIGIT_WORDS) digits = DIGIT_WORDS[t];
    else if (t in TENS || (t in UNITS && UNITS[t] >= 10)) digits = String(UNITS[t] ?? TENS[t]);
    else if (t === 'hundred') digits = '00';
    else if (t === 'thousand') digits = '000';
    if (digits === undefined) continue; // filler words: "my number is", "it's"
    out += digits.repeat(repeat);
    repeat = 1;
  }
  return /\d/.test(out) ? out : undefined;
}

const NAME_LEAD_INS = /^(?:(?:my|the)\s+(?:first\s+|last\s+|sur)?name\s+is|(?:it'?s|it\s+is|i\s+am|i'm|this\s+is|call\s+me|they\s+call\s+me|name'?s)\s+)\s*/i;
const YES = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'correct', 'right', 'affirmative', 'absolutely', 'definitely', 'please do', 'go ahead', 'that is right', 'that\'s right', 'yes please']);
const NO = new Set(['no', 'nope', 'nah', 'negative', 'not really', 'no thanks', 'no thank you', 'don\'t', 'do not', 'cancel', 'wrong', 'incorrect', 'not now']);
const MAYBE = new Set(['maybe', 'perhaps', 'possibly']);
const DONT_KNOW = new Set(['i don\'t know', 'dont know', 'don\'t know', 'not sure', 'i\'m not sure', 'no idea']);

const value = (originalValue: string, interpretedValue: string, resolvedValues = [interpretedValue]): ResolvedSlotValue => ({ originalValue, interpretedValue, resolvedValues });
const titleCase = (s: string): string => s.split(/\s+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

/** What a slot value is resolved with, besides the text. */
export interface SlotResolutionContext {
  /** The locale's custom slot types. @default - none */
  readonly slotTypes?: readonly BotSlotType[];
  /** The locale, whose country national phone numbers belong to (en_US: US). @default 'en_US' */
  readonly localeId?: string;
  /** "Today", for relative dates. @default - now */
  readonly now?: Date;
}

/** Resolves `text` for a slot of type `slotTypeName`; custom types are looked up in `context.slotTypes`. */
export function resolveSlotValue(text: string, slotTypeName: string, context: SlotResolutionContext = {}): ResolvedSlotValue | undefined {
  const { slotTypes = [], localeId = 'en_US', now = new Date() } = context;
  const said = text.trim().replace(/[.!?]+$/, '');
  if (said === '') return undefined;
  switch (slotTypeName) {
    case 'AMAZON.FirstName':
    case 'AMAZON.LastName': {
      const name = said.replace(NAME_LEAD_INS, '').trim();
      if (!/^[\p{L}][\p{L}'’ -]*$/u.test(name) || name.split(/\s+/).length > 3) return undefined;
      return value(said, titleCase(name));
    }
    case 'AMAZON.PhoneNumber': {
      // Lex gives the digits as said: national numbers stay national (a US caller's ten digits, no +1).
      const digits = spokenDigits(said);
      return digits && isPossiblePhone(digits, localeId.split(/[_-]/)[1]) ? value(said, digits) : undefined;
    }
    case 'AMAZON.Number': {
      const n = parseNumber(said);
      return n === undefined ? undefined : value(said, String(n));
    }
    case 'AMAZON.AlphaNumeric': {
      const tokens = words(said).map((t) => DIGIT_WORDS[t] ?? t);
      const joined = tokens.join('').toUpperCase();
      return /^[A-Z0-9]+$/.test(joined) ? value(said, joined) : undefined;
    }
    case 'AMAZON.Date': {
      const date = parseSpokenDate(said, now);
      if (!date) return undefined;
      const iso = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
      return value(said, iso);
    }
    case 'AMAZON.Confirmation': {
      const s = said.toLowerCase().replace(/[,!.]/g, '').trim();
      const first = s.split(/\s+/)[0];
      if (YES.has(s) || YES.has(first)) return value(said, 'Yes');
      if (DONT_KNOW.has(s)) return value(said, "Don't know");
      if (NO.has(s) || NO.has(first)) return value(said, 'No');
      if (MAYBE.has(s) || MAYBE.has(first)) return value(said, 'Maybe');
      return undefined;
    }
    case 'AMAZON.FreeFormInput':
      return value(said, said);
  }
  const custom = slotTypes.find((t) => t.name === slotTypeName);
  if (!custom) return value(said, said); // another built-in type: taken as said (the stand-in does not model it)
  return resolveCustom(said, custom);
}

/** Custom slot types: a match against the sample values and their synonyms (case-insensitive, one typo allowed). */
function resolveCustom(said: string, type: BotSlotType): ResolvedSlotValue | undefined {
  const s = said.toLowerCase();
  const near = (a: string, b: string) => a === b || (b.length >= 5 && distance(a, b) <= 1);
  const matches = (type.slotTypeValues ?? [])
    .filter((v) => [v.sampleValue.value, ...(v.synonyms ?? []).map((x) => x.value)].some((x) => near(s, x.toLowerCase())))
    .map((v) => v.sampleValue.value);
  const strategy = type.valueSelectionSetting?.resolutionStrategy ?? 'ORIGINAL_VALUE';
  if (strategy === 'TOP_RESOLUTION') return matches.length > 0 ? value(said, matches[0], matches) : undefined;
  // ORIGINAL_VALUE: an expanding slot type, the user's value is kept as said; resolvedValues lists what it matched.
  return value(said, said, matches);
}
