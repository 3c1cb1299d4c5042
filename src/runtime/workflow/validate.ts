// Validates a demo request before any side effect: E.164 phone numbers of an allowed type and country with
// libphonenumber-js (full metadata), the lead fields Salesforce requires, and the identifiers derived from the
// execution. The Lex fulfillment handler runs the same rules before it starts the workflow.
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { InvalidDemoRequestError } from './errors';
import type { DemoLead, DemoRequest, ValidatedDemoRequest } from './types';
import { DEFAULT_ALLOWED_PHONE_TYPES, type PhoneNumberType, type PhoneRules } from '../../shared/fault-tolerance';

export type { PhoneRules, PhoneNumberType };

/** Salesforce's Lead field lengths. */
const MAX_LENGTH = { firstName: 40, lastName: 80, company: 255, email: 80 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,80}$/;
/** Control characters (newlines included), line and paragraph separators, and markup brackets: never in a lead field. */
const UNSAFE_TEXT = /[\p{Cc}\u2028\u2029<>]/u;
/** Digits with the usual separators, and an optional extension (refused later, with its own reason). */
const PHONE_TEXT = /^\+?[\d\s().\/-]+((ext\.?|extension|x|#)\s*\d+)?$/i;
/** Words for a number type, after "that phone number is". */
const TYPE_WORDS: Partial<Record<PhoneNumberType, string>> = {
  PREMIUM_RATE: 'a premium-rate number', TOLL_FREE: 'a toll-free number', SHARED_COST: 'a shared-cost number', VOIP: 'an internet (VoIP) number',
  PERSONAL_NUMBER: 'a personal forwarding number', PAGER: 'a pager number', UAN: 'a company switchboard number', VOICEMAIL: 'a voicemail number',
};

/** The lead and context of a demo request, checked by the rules the Validate step and the Lex handler share. */
export interface ValidatedDemoInput {
  readonly lead: DemoLead;
  readonly context?: Record<string, string>;
}

/**
 * Checks the lead and context of a demo request (no execution ids): what the Lex fulfillment handler runs before it
 * starts the workflow, and the Validate step runs again. Throws `InvalidDemoRequestError` naming the field.
 */
export function validateDemoInput(input: unknown, rules: PhoneRules = {}): ValidatedDemoInput {
  if (!isObject(input)) throw new InvalidDemoRequestError('$', 'must be a JSON object');
  const leadIn = input.lead;
  if (!isObject(leadIn)) throw new InvalidDemoRequestError('lead', 'must be an object with lastName, company and phone');
  const lead: DemoLead = {
    firstName: optionalText(leadIn.firstName, 'lead.firstName', MAX_LENGTH.firstName),
    lastName: requiredText(leadIn.lastName, 'lead.lastName', MAX_LENGTH.lastName),
    company: requiredText(leadIn.company, 'lead.company', MAX_LENGTH.company),
    email: optionalEmail(leadIn.email),
    phone: e164(leadIn.phone, 'lead.phone', rules),
  };
  const context = optionalContext(input.context);
  return context ? { lead, context } : { lead };
}

/**
 * Checks the execution input and returns the normalised request with the ids the later steps use. Throws
 * `InvalidDemoRequestError` naming the field; the message never contains the phone number.
 */
export function validateDemoRequest(input: unknown, executionId: string, executionName?: string, rules?: string | PhoneRules): ValidatedDemoRequest {
  if (typeof executionId !== 'string' || executionId === '') throw new InvalidDemoRequestError('executionId', 'is missing');
  const { lead, context } = validateDemoInput(input, phoneRules(rules));
  const requestId = !isObject(input) || input.requestId === undefined ? defaultRequestId(executionId, executionName) : input.requestId;
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new InvalidDemoRequestError('requestId', 'must be 1 to 80 letters, digits, or _ . : -');
  }
  const request: DemoRequest & { requestId: string } = { requestId, lead, ...(context ? { context } : {}) };
  return {
    request,
    interactionKey: deriveInteractionKey(executionId),
    leadExternalId: requestId,
    clientToken: deriveClientToken(executionId),
  };
}

/**
 * Normalises a phone number to E.164 or throws. International numbers (with `+` and country code) always pass when
 * valid; national numbers (what Lex's AMAZON.PhoneNumber gives for "two zero six...") pass only with a
 * `defaultCountry` (ISO 3166-1 alpha-2, e.g. 'US') to read them in.
 */
export function e164(value: unknown, field = 'lead.phone', rules?: string | PhoneRules): string {
  const { defaultCountry, allowedCountries, allowedTypes } = phoneRules(rules);
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidDemoRequestError(field, 'is required', 'is missing');
  const text = value.trim();
  if (text.length > 40 || UNSAFE_TEXT.test(text) || !PHONE_TEXT.test(text)) throw new InvalidDemoRequestError(field, 'is not a valid phone number');
  if (!text.startsWith('+') && !defaultCountry) {
    throw new InvalidDemoRequestError(field, 'must be an international number in E.164 form (+ and country code)', 'needs its country code, starting with plus');
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined);
  if (!parsed || !parsed.isValid()) throw new InvalidDemoRequestError(field, 'is not a valid phone number');
  // An extension cannot be dialled by StartOutboundVoiceContact: refuse it rather than drop it and call the switchboard.
  if (parsed.ext) throw new InvalidDemoRequestError(field, 'has an extension, which an outbound call cannot dial', 'has an extension, which I cannot dial; please give a direct number');
  if (allowedCountries?.length && !(parsed.country && allowedCountries.includes(parsed.country))) {
    throw new InvalidDemoRequestError(field, `is not in a country we call (${allowedCountries.join(', ')})`, 'is in a country we do not call');
  }
  const type = parsed.getType() as PhoneNumberType | undefined;
  const types = allowedTypes ?? DEFAULT_ALLOWED_PHONE_TYPES;
  if (!type || !types.includes(type)) {
    const words = type ? TYPE_WORDS[type] ?? `a ${type.toLowerCase().replace(/_/g, ' ')} number` : 'a number of unknown type';
    throw new InvalidDemoRequestError(field, `is ${words}; only ${types.join(', ')} numbers are called`, `is ${words}, which we do not call; please give a mobile or landline number`);
  }
  return parsed.number;
}

/** The phone rules of a country code (the older `defaultCountry` argument) or a rules object. */
function phoneRules(rules: string | PhoneRules | undefined): PhoneRules {
  return typeof rules === 'string' ? { defaultCountry: rules } : rules ?? {};
}

/** The call-context key for an execution: stable, opaque, URL- and attribute-safe. */
export function deriveInteractionKey(executionId: string): string {
  return createHash('sha256').update(`interaction\u0000${executionId}`).digest('base64url').slice(0, 32);
}

/** The StartOutboundVoiceContact ClientToken for an execution: every retry of the step sends the same one. */
export function deriveClientToken(executionId: string): string {
  return createHash('sha256').update(`outbound-call\u0000${executionId}`).digest('hex');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requiredText(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') throw new InvalidDemoRequestError(field, 'is required', 'is missing');
  if (v.trim().length > max) throw new InvalidDemoRequestError(field, `must be at most ${max} characters`, 'is too long');
  if (UNSAFE_TEXT.test(v)) throw new InvalidDemoRequestError(field, 'must not contain control characters, line breaks or < >', 'has characters I cannot use');
  return v.trim();
}

function optionalText(v: unknown, field: string, max: number): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return requiredText(v, field, max);
}

function optionalEmail(v: unknown): string | undefined {
  const email = optionalText(v, 'lead.email', MAX_LENGTH.email);
  if (email !== undefined && !EMAIL.test(email)) throw new InvalidDemoRequestError('lead.email', 'is not an email address');
  return email;
}

function optionalContext(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new InvalidDemoRequestError('context', 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string' || value.length > 500) throw new InvalidDemoRequestError(`context.${k}`, 'must be a string of at most 500 characters');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(k) || /[\p{Cc}\u2028\u2029]/u.test(value)) {
      throw new InvalidDemoRequestError(`context.${k}`, 'must be a short name (letters, digits, _ . -) with a value without control characters or line breaks');
    }
    out[k] = value;
  }
  return out;
}

/** The execution name when it is a usable external id (the usual UUID), else a digest of the execution id. */
function defaultRequestId(executionId: string, executionName?: string): string {
  const name = executionName || executionId.split(':').pop() || '';
  return REQUEST_ID.test(name) ? name : createHash('sha256').update(executionId).digest('hex').slice(0, 40);
}
