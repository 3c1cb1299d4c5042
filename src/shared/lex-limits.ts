// Limits of Amazon Lex V2 that both a construct (checking a bot at synth) and the runtime (building a response) obey.

/** Most characters in one runtime message (`Message.content`, Lex V2 runtime API reference, data type "Message"). */
export const LEX_RUNTIME_MESSAGE_MAX_CHARS = 1024;

/**
 * Most characters of a message written into the bot (`PlainTextMessage.value`: 1-1,000; Lex V2 models API
 * reference, data type "PlainTextMessage"), e.g. a progress message.
 */
export const LEX_BOT_MESSAGE_MAX_CHARS = 1000;

/**
 * Bounds of fulfillment progress messages (Lex V2 models API reference, data types "FulfillmentUpdatesSpecification",
 * "FulfillmentStartResponseSpecification", "FulfillmentUpdateResponseSpecification"): seconds 1-900, 1-5 message groups.
 */
export const LEX_PROGRESS_LIMITS = { minSeconds: 1, maxSeconds: 900, minMessages: 1, maxMessages: 5 } as const;
