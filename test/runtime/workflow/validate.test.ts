import { describe, expect, it } from 'vitest';
import { InvalidDemoRequestError } from '../../../src/runtime/workflow/errors';
import { deriveClientToken, deriveInteractionKey, validateDemoRequest } from '../../../src/runtime/workflow/validate';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:demo:run-1';
const lead = { lastName: 'Doe', company: 'Acme', phone: '+1 415 555 2671' };

describe('validateDemoRequest', () => {
  it('normalises the phone to E.164 and derives stable ids from the execution', () => {
    const out = validateDemoRequest({ lead }, EXECUTION, 'run-1');
    expect(out.request.lead.phone).toBe('+14155552671');
    expect(out).toMatchObject({ leadExternalId: 'run-1', interactionKey: deriveInteractionKey(EXECUTION), clientToken: deriveClientToken(EXECUTION) });
    expect(validateDemoRequest({ lead }, EXECUTION, 'run-1').clientToken).toBe(out.clientToken);
    expect(deriveClientToken(`${EXECUTION}x`)).not.toBe(out.clientToken);
  });

  it('reads a national number (as Lex gives a spoken one) in the default country, and still refuses an invalid one', () => {
    expect(validateDemoRequest({ lead: { ...lead, phone: '4155552671' } }, EXECUTION, 'run-1', 'US').request.lead.phone).toBe('+14155552671');
    expect(validateDemoRequest({ lead: { ...lead, phone: '+44 20 7183 8750' } }, EXECUTION, 'run-1', 'US').request.lead.phone).toBe('+442071838750');
    expect(() => validateDemoRequest({ lead: { ...lead, phone: '5550100' } }, EXECUTION, 'run-1', 'US')).toThrow(/not a valid phone number/);
  });

  it.each([
    [{ lead: { ...lead, phone: '4155552671' } }, 'lead.phone', 'E.164'],
    [{ lead: { ...lead, phone: '+1 555 0100' } }, 'lead.phone', 'not a valid phone number'],
    [{ lead: { ...lead, lastName: ' ' } }, 'lead.lastName', 'is required'],
    [{ lead: { ...lead, company: undefined } }, 'lead.company', 'is required'],
    [{ lead: { ...lead, email: 'nope' } }, 'lead.email', 'not an email'],
    [{ lead, requestId: 'has space' }, 'requestId', 'letters, digits'],
    [{ lead, context: { notes: 42 } }, 'context.notes', 'string'],
    [{}, 'lead', 'object'],
  ])('rejects %j naming %s, without echoing the number', (input, field, reason) => {
    let error: unknown;
    try { validateDemoRequest(input, EXECUTION); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(InvalidDemoRequestError);
    expect((error as InvalidDemoRequestError).name).toBe('InvalidDemoRequestError');
    expect((error as InvalidDemoRequestError).field).toBe(field);
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).not.toMatch(/\d{4}/);
  });
});
