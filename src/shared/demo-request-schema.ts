// What the demo-call workflow's Validate step requires in its execution input: the construct checks a bot's
// workflow intent against it at synth, the runtime refuses an execution without it.

/** Dotted input paths the Validate step refuses to run without. */
export const DEMO_REQUEST_REQUIRED_FIELDS: readonly string[] = ['lead.lastName', 'lead.company', 'lead.phone'];

/** The input path that holds the prospect's phone number (E.164, or national with a default country). */
export const DEMO_REQUEST_PHONE_FIELD = 'lead.phone';
