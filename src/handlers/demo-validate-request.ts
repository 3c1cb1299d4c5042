// Lambda entry point of the lead-to-call workflow: validates the request (E.164 phone of an allowed type and country,
// lead fields) before any side effect. Configuration: FAST_LEX_DEFAULT_PHONE_COUNTRY, FAST_LEX_PHONE_RULES.
import { jsonEnv, optionalEnv } from '../runtime/env';
import { createValidateStep, type ValidateEvent } from '../runtime/workflow/steps';
import type { PhoneRules } from '../runtime/workflow/validate';
import { FAST_LEX_ENV } from '../shared/env';

const step = createValidateStep({
  defaultPhoneCountry: optionalEnv(process.env, FAST_LEX_ENV.defaultPhoneCountry),
  phoneRules: optionalEnv(process.env, FAST_LEX_ENV.phoneRules) === undefined ? undefined : jsonEnv(process.env, FAST_LEX_ENV.phoneRules) as PhoneRules,
});

export async function handler(event: ValidateEvent) {
  return step(event);
}
