// Lambda entry point of the lead-to-call workflow: validates the request (E.164 phone, lead fields) before any side effect.
import { WORKFLOW_ENV } from '../runtime/workflow/schema';
import { createValidateStep, type ValidateEvent } from '../runtime/workflow/steps';

const step = createValidateStep({ defaultPhoneCountry: process.env[WORKFLOW_ENV.defaultPhoneCountry] || undefined });

export async function handler(event: ValidateEvent) {
  return step(event);
}
