// Resolves what a user said into a slot value, the way Lex V2 fills built-in and custom slot types: the value Lex
// puts in `slots.<name>.value` (`originalValue`, `interpretedValue`, `resolvedValues`), or undefined when Lex would
// not fill the slot and re-prompts instead.
import type { BotSlotType } from './bot-model';
import { resolveAlphaNumeric, resolveBuiltIn, type ResolvedSlotValue } from './builtin-slot-types';
import { editDistance as distance } from './text-libraries';

export { parseNumber, spokenDigits, MODELLED_BUILT_IN_SLOT_TYPES, type ResolvedSlotValue } from './builtin-slot-types';

/** What a slot value is resolved with, besides the text. */
export interface SlotResolutionContext {
  /** The locale's custom slot types. @default - none */
  readonly slotTypes?: readonly BotSlotType[];
  /** The locale, whose country national phone numbers belong to (en_US: US). @default 'en_US' */
  readonly localeId?: string;
  /** "Today", for relative dates. @default - now */
  readonly now?: Date;
}

/**
 * Resolves `text` for a slot of type `slotTypeName`: a built-in type as its Lex V2 page documents it (a type the
 * stand-in does not model throws: `startLexStandIn` refuses such a bot up front), a custom type by its values and
 * synonyms under its `resolutionStrategy`.
 */
export function resolveSlotValue(text: string, slotTypeName: string, context: SlotResolutionContext = {}): ResolvedSlotValue | undefined {
  const { slotTypes = [], localeId = 'en_US', now = new Date() } = context;
  // End punctuation is dropped; inner punctuation stays ("L.A.", "O'Brien").
  const said = text.trim().replace(/[!?]+$/, '').replace(/(?<![A-Za-z]\.[A-Za-z])\.$/, '');
  if (said === '') return undefined;
  const custom = slotTypes.find((t) => t.name === slotTypeName);
  if (custom) return resolveCustom(said, custom);
  return resolveBuiltIn(said, slotTypeName, { localeId, now });
}

/** Compared without case or punctuation, so "la" finds "L.A." and "L.A." finds "LA". */
const key = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, '').replace(/\s+/g, ' ').trim();

/**
 * Custom slot types (lexv2/latest/dg/custom-slot-types.html): what the user said is matched against the sample values
 * and their synonyms (case and punctuation aside, one typo allowed in words of five letters or more); a synonym
 * resolves to its value, listed first in `resolvedValues`.
 * - ORIGINAL_VALUE (the default, "expand values"): the value as said; a value the list lacks is still taken, with no
 *   resolved values (as the OrderFlowers conversation of the developer guide shows for "dozen roses").
 * - TOP_RESOLUTION: the first resolved value; nothing matched, no value (Lex re-prompts).
 * - CONCATENATION: the API reference lists it without a description; the stand-in reads it as every value said in the
 *   utterance, resolved and joined in the order said, or no value if none matched.
 * A type extending AMAZON.AlphaNumeric resolves as AlphaNumeric, then must match its `regexFilter`.
 */
function resolveCustom(said: string, type: BotSlotType): ResolvedSlotValue | undefined {
  if (type.parentSlotTypeSignature === 'AMAZON.AlphaNumeric') {
    const v = resolveAlphaNumeric(said);
    const pattern = type.valueSelectionSetting?.regexFilter?.pattern;
    if (!v || !pattern) return v;
    const original = said.replace(/\s+/g, '');
    return new RegExp(`^(?:${pattern})$`).test(original) ? { ...v, interpretedValue: original, resolvedValues: [original] } : undefined;
  }
  const s = key(said);
  const near = (a: string, b: string) => a === b || (b.length >= 5 && Math.abs(a.length - b.length) <= 1 && distance(a, b) <= 1);
  const entries = (type.slotTypeValues ?? []).map((v) => ({ value: v.sampleValue.value, forms: [v.sampleValue.value, ...(v.synonyms ?? []).map((x) => x.value)].map(key) }));
  const matches = entries.filter((e) => e.forms.some((f) => near(s, f))).map((e) => e.value);
  const strategy = (type.valueSelectionSetting?.resolutionStrategy ?? 'ORIGINAL_VALUE').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  if (strategy === 'TOP_RESOLUTION') return matches.length > 0 ? { originalValue: said, interpretedValue: matches[0], resolvedValues: matches.slice(0, 5) } : undefined;
  if (strategy === 'CONCATENATION') {
    const found = entries.flatMap((e) => e.forms.map((f) => ({ at: ` ${s} `.indexOf(` ${f} `), value: e.value })).filter((x) => x.at >= 0).slice(0, 1));
    found.sort((a, b) => a.at - b.at);
    return found.length > 0 ? { originalValue: said, interpretedValue: found.map((f) => f.value).join(' '), resolvedValues: found.map((f) => f.value).slice(0, 5) } : undefined;
  }
  return { originalValue: said, interpretedValue: said, resolvedValues: matches.slice(0, 5) };
}
