// The Lex V2 built-in slot types the stand-in models, each resolved as its page of the Lex V2 developer guide
// ("Built-in slot types", docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html) says; a bot whose slot uses a
// built-in type that is not listed here is refused at start (`unmodelledBuiltInSlots`), never filled with whatever
// the user said.
import type { BotLocale } from './bot-model';
import { isCity, isCountry, isRegion, isPossiblePhone, parseSpokenDate } from './text-libraries';

/** A slot value as Lex V2 sends it; `interpretedValue` is null for an ambiguous AMAZON.Time ("10 o'clock"). */
export interface ResolvedSlotValue {
  readonly originalValue: string;
  readonly interpretedValue: string | null;
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
const value = (originalValue: string, interpretedValue: string | null, resolvedValues = interpretedValue === null ? [] : [interpretedValue]): ResolvedSlotValue =>
  ({ originalValue, interpretedValue, resolvedValues });

/**
 * A cardinal number said in words or digits ("forty two", "1,200", "two hundred and five", "minus three",
 * "three point five", "point four two"), or undefined (AMAZON.Number: "converts words or numbers that express a number
 * into digits, including decimal numbers").
 */
export function parseNumber(text: string): number | undefined {
  const compact = text.trim().replace(/,/g, '');
  if (/^[-+]?(\d+(\.\d+)?|\.\d+)$/.test(compact)) return Number(compact);
  const tokens = words(text).filter((w) => w !== 'and' && w !== 'a' && w !== 'an');
  if (tokens.length === 0) return undefined;
  let sign = 1;
  if (tokens[0] === 'minus' || tokens[0] === 'negative') { sign = -1; tokens.shift(); }
  let total = 0;
  let current = 0;
  let fraction = '';
  let seen = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'point' || t === 'dot') {
      const rest = tokens.slice(i + 1);
      // "point forty two" is 0.42 as much as "point four two".
      fraction = rest.length === 1 && !(rest[0] in DIGIT_WORDS) ? String(parseNumber(rest[0]) ?? '?') : rest.map((d) => DIGIT_WORDS[d] ?? (/^\d+$/.test(d) ? d : '?')).join('');
      if (fraction === '' || fraction.includes('?')) return undefined;
      seen = true;
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
const titleCase = (s: string): string => s.split(/\s+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
const iso = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const hhmm = (h: number, m: number): string => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

/** What the built-in types resolve with besides the text. */
export interface BuiltInContext {
  /** The locale, whose country national phone numbers belong to (en_US: US). */
  readonly localeId: string;
  /** "Today", for relative dates. */
  readonly now: Date;
}

type Resolver = (said: string, context: BuiltInContext) => ResolvedSlotValue | undefined;

/**
 * AMAZON.Date (lexv2/latest/dg/built-in-slot-date.html): a specific day on or after today; a future week ("next
 * week") is the last day of the current week, the current or a past week its first day (weeks start on Monday); a
 * future month or year its last day, the current or a past one its first day.
 */
function resolveDate(said: string, { now }: BuiltInContext): ResolvedSlotValue | undefined {
  const s = said.toLowerCase().trim();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const relative = /^(this|current|next|last|previous|past)\s+(week|month|year)$/.exec(s);
  if (relative) {
    const [, which, unit] = relative;
    const future = which === 'next';
    const offset = future ? 1 : which === 'this' || which === 'current' ? 0 : -1;
    let d: Date;
    if (unit === 'week') {
      const monday = new Date(today);
      monday.setDate(today.getDate() - ((today.getDay() + 6) % 7));
      // "next week" is the last day (Sunday) of the current week; this or a past week, its Monday.
      d = future ? new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6) : new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 7 * offset);
    } else if (unit === 'month') {
      d = future ? new Date(today.getFullYear(), today.getMonth() + 2, 0) : new Date(today.getFullYear(), today.getMonth() + offset, 1);
    } else {
      d = future ? new Date(today.getFullYear() + 1, 11, 31) : new Date(today.getFullYear() + offset, 0, 1);
    }
    return value(said, iso(d));
  }
  const date = parseSpokenDate(said, now);
  return date ? value(said, iso(date)) : undefined;
}

const PERIODS: Record<string, string> = { morning: 'MO', afternoon: 'AF', evening: 'EV', night: 'NI', tonight: 'NI' };

/**
 * AMAZON.Time (lexv2/latest/dg/built-in-slot-time.html): an exact time as HH:MM; an ambiguous one ("10 o'clock") has
 * a null interpretedValue and both readings in resolvedValues; a part of the day alone is MO, AF, EV or NI.
 */
function resolveTime(said: string): ResolvedSlotValue | undefined {
  const s = said.toLowerCase().replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();
  if (s === 'noon' || s === 'midday') return value(said, '12:00');
  if (s === 'midnight') return value(said, '00:00');
  const period = /^(?:in the |at |this |tonight)?\s*(morning|afternoon|evening|night|tonight)$/.exec(s);
  if (period) return value(said, PERIODS[period[1]]);
  const m = /^(?:at\s+)?(.+?)(?:\s*o'?\s*clock)?(?:\s*(am|a m|pm|p m|in the morning|in the afternoon|in the evening|at night|tonight|morning|afternoon|evening|night))?$/.exec(s);
  if (!m) return undefined;
  const clock = parseClock(m[1]);
  if (!clock) return undefined;
  let [h, min] = clock;
  if (h > 23 || min > 59) return undefined;
  const suffix = m[2]?.replace(/\s/g, '');
  const pm = suffix !== undefined && /pm|afternoon|evening|night|tonight/.test(suffix);
  const am = suffix !== undefined && !pm;
  if (pm && h < 12) h += 12;
  if (am && h === 12) h = 0;
  // "10", "10 o'clock", "half past ten": morning or evening; Lex names both and interprets neither.
  if (!am && !pm && h >= 1 && h <= 12 && !/^0\d/.test(m[1].trim())) {
    return value(said, null, [hhmm(h % 12, min), hhmm((h % 12) + 12, min)]);
  }
  return value(said, hhmm(h, min));
}

/** "10:30", "1730", "five thirty", "half past ten", "quarter to six", "7": [hour, minute]. */
function parseClock(text: string): [number, number] | undefined {
  const t = text.trim();
  const colon = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (colon) return [Number(colon[1]), Number(colon[2])];
  if (/^\d{3,4}$/.test(t)) return [Math.floor(Number(t) / 100), Number(t) % 100];
  const past = /^(half|quarter|\S+(?: \S+)?) (past|after|to|before) (.+)$/.exec(t);
  if (past) {
    const minutes = past[1] === 'half' ? 30 : past[1] === 'quarter' ? 15 : parseNumber(past[1]);
    const hour = parseNumber(past[3]);
    if (minutes === undefined || hour === undefined) return undefined;
    return past[2] === 'past' || past[2] === 'after' ? [hour, minutes] : [(hour + 23) % 24 || 12, 60 - minutes];
  }
  const parts = t.split(' ');
  const hour = parseNumber(parts[0]);
  if (hour === undefined || !Number.isInteger(hour)) return undefined;
  if (parts.length === 1) return [hour, 0];
  const minute = parseNumber(parts.slice(1).join(' ').replace(/^oh /, ''));
  return minute === undefined || !Number.isInteger(minute) ? undefined : [hour, minute];
}

const DURATION_UNITS: Array<[RegExp, string, boolean]> = [
  [/^years?$/, 'Y', false], [/^months?$/, 'M', false], [/^weeks?$/, 'W', false], [/^days?$/, 'D', false],
  [/^(hours?|hrs?)$/, 'H', true], [/^(minutes?|mins?)$/, 'M', true], [/^(seconds?|secs?)$/, 'S', true],
];

/** AMAZON.Duration (lexv2/latest/dg/built-in-slot-duration.html): ISO-8601 PnYnMnWnDTnHnMnS ("five hours ten minutes": PT5H10M). */
function resolveDuration(said: string): ResolvedSlotValue | undefined {
  const tokens = said.toLowerCase().replace(/[,]/g, ' ').replace(/\band\b/g, ' ').split(/\s+/).filter(Boolean);
  const date: string[] = [];
  const time: string[] = [];
  let pending: string[] = [];
  for (const t of tokens) {
    const unit = DURATION_UNITS.find(([re]) => re.test(t));
    if (!unit) { pending.push(t); continue; }
    const n = pending.length === 0 ? undefined : pending.join(' ') === 'half an' || pending.join(' ') === 'half a' ? 0.5 : parseNumber(pending.join(' '));
    if (n === undefined || n <= 0) return undefined;
    (unit[2] ? time : date).push(`${n}${unit[1]}`);
    pending = [];
  }
  if (pending.length > 0 || date.length + time.length === 0) return undefined;
  return value(said, `P${date.join('')}${time.length > 0 ? `T${time.join('')}` : ''}`);
}

/**
 * AMAZON.EmailAddress (lexv2/latest/dg/built-in-slot-email.html): username@domain, the user name with letters, digits,
 * underscore, hyphen, period and plus; spoken "at", "dot", "underscore", "dash" read as their characters.
 */
function resolveEmail(said: string): ResolvedSlotValue | undefined {
  const spoken = ` ${said.toLowerCase()} `.replace(/\s+at\s+/g, '@').replace(/\s+dot\s+/g, '.').replace(/\s+underscore\s+/g, '_')
    .replace(/\s+(dash|hyphen)\s+/g, '-').replace(/\s+plus\s+/g, '+').replace(/^(my )?e-?mail( address)? is /, '').replace(/\s+/g, '');
  return /^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(spoken) ? value(said, spoken) : undefined;
}

/** AMAZON.Percentage (lexv2/latest/dg/built-in-slot-percent.html): a number and a percent sign ("five percent": 5%). */
function resolvePercentage(said: string): ResolvedSlotValue | undefined {
  const m = /^(.+?)\s*(%|percent|per cent|percentage)$/i.exec(said.trim());
  const n = parseNumber(m ? m[1] : said);
  return n === undefined ? undefined : value(said, `${n}%`);
}

/** AMAZON.Confirmation (lexv2/latest/dg/built-in-slot-confirmation.html): Yes, No, Maybe or Don't know. */
function resolveConfirmation(said: string): ResolvedSlotValue | undefined {
  const s = said.toLowerCase().replace(/[,!.]/g, '').trim();
  const first = s.split(/\s+/)[0];
  if (YES.has(s) || YES.has(first)) return value(said, 'Yes');
  if (DONT_KNOW.has(s)) return value(said, "Don't know");
  if (NO.has(s) || NO.has(first)) return value(said, 'No');
  if (MAYBE.has(s) || MAYBE.has(first)) return value(said, 'Maybe');
  return undefined;
}

/** AMAZON.AlphaNumeric (lexv2/latest/dg/built-in-slot-alphanumeric.html): letters and digits, spoken digits read as digits. */
export function resolveAlphaNumeric(said: string): ResolvedSlotValue | undefined {
  const joined = words(said).map((t) => DIGIT_WORDS[t] ?? t).join('').toUpperCase();
  return /^[A-Z0-9]+$/.test(joined) ? value(said, joined) : undefined;
}

/** AMAZON.FirstName / LastName: the name as the user gave it ("Lex doesn't convert from the nickname to the formal name"). */
function resolveName(said: string): ResolvedSlotValue | undefined {
  const name = said.replace(NAME_LEAD_INS, '').trim();
  if (!/^[\p{L}][\p{L}'’ -]*$/u.test(name) || name.split(/\s+/).length > 3) return undefined;
  return value(said, titleCase(name));
}

/** Strips a lead-in ("I'm flying to", "in") from a place name. */
const placeName = (said: string): string => said.replace(/^(?:(?:i'?m|i am)\s+(?:going|flying|staying)\s+(?:to|in)\s+|(?:in|to|at|from)\s+)/i, '').trim();

/** The built-in slot types the stand-in models, by name. */
const BUILT_INS: Record<string, Resolver> = {
  'AMAZON.AlphaNumeric': resolveAlphaNumeric,
  // AMAZON.City, Country, State: the value as the user said it, if the gazetteer knows the place (Lex: "doesn't
  // convert from a variation to an official name").
  'AMAZON.City': (said) => (isCity(placeName(said)) ? value(said, placeName(said)) : undefined),
  'AMAZON.Confirmation': resolveConfirmation,
  'AMAZON.Country': (said) => (isCountry(placeName(said)) ? value(said, placeName(said)) : undefined),
  'AMAZON.Date': resolveDate,
  'AMAZON.Duration': resolveDuration,
  'AMAZON.EmailAddress': resolveEmail,
  'AMAZON.FirstName': resolveName,
  'AMAZON.FreeFormInput': (said) => value(said, said),
  'AMAZON.LastName': resolveName,
  'AMAZON.Number': (said) => { const n = parseNumber(said); return n === undefined ? undefined : value(said, String(n)); },
  'AMAZON.Percentage': resolvePercentage,
  // Lex gives the digits as said: national numbers stay national (a US caller's ten digits, no +1).
  'AMAZON.PhoneNumber': (said, { localeId }) => {
    const digits = spokenDigits(said);
    return digits && isPossiblePhone(digits, localeId.split(/[_-]/)[1]) ? value(said, digits) : undefined;
  },
  'AMAZON.State': (said) => (isRegion(placeName(said)) ? value(said, placeName(said)) : undefined),
  'AMAZON.Time': resolveTime,
};

/** The built-in slot types the stand-in resolves as Lex documents them, sorted. */
export const MODELLED_BUILT_IN_SLOT_TYPES: readonly string[] = Object.keys(BUILT_INS).sort();

/** Resolves `said` as built-in type `type`; undefined when Lex would not fill the slot. Throws for a type not modelled. */
export function resolveBuiltIn(said: string, type: string, context: BuiltInContext): ResolvedSlotValue | undefined {
  const resolver = BUILT_INS[type];
  if (!resolver) throw new Error(`The Lex stand-in does not model the built-in slot type ${type}.`);
  return resolver(said, context);
}

/** Each slot of the locale whose type is a built-in type (AMAZON.*) the stand-in does not model, as "Intent.Slot (Type)". */
export function unmodelledBuiltInSlots(locale: BotLocale): string[] {
  const found: string[] = [];
  for (const intent of locale.intents ?? []) {
    for (const slot of intent.slots ?? []) {
      if (slot.slotTypeName.startsWith('AMAZON.') && !(slot.slotTypeName in BUILT_INS)) found.push(`${intent.name}.${slot.name} (${slot.slotTypeName})`);
    }
  }
  for (const type of locale.slotTypes ?? []) {
    const parent = type.parentSlotTypeSignature;
    if (parent && parent !== 'AMAZON.AlphaNumeric') found.push(`slot type ${type.name} (extends ${parent})`);
  }
  return found;
}
