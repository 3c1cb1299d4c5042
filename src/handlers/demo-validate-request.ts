// Lambda entry point of the lead-to-call workflow: validates the request (E.164 phone, lead fields) before any side effect.
import { optionalEnv } from '../runtime/env';
import { createValidateStep, type ValidateEvent } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

const step = createValidateStep({ defaultPhoneCountry: optionalEnv(process.env, FAST_LEX_ENV.defaultPhoneCountry) });

export async function handler(event: ValidateEvent) {
  return step(event);
}
