// Lambda entry point of the lead-to-call workflow: validates the request (E.164 phone, lead fields) before any side effect.
import { createValidateStep, type ValidateEvent } from '../runtime/workflow/steps';

const step = createValidateStep();

export async function handler(event: ValidateEvent) {
  return step(event);
}
