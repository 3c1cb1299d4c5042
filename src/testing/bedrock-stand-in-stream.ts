// ConverseStream on the wire: the stand-in's events in AWS event-stream framing, encoded with the SDK's own codec.
import { EventStreamCodec } from '@smithy/core/event-streams';

/**
 * The exception events a ConverseStream response can carry after it started (ConverseStreamOutput's error
 * members: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html).
 */
export const BEDROCK_STREAM_EXCEPTIONS = [
  'modelStreamErrorException', 'throttlingException', 'internalServerException', 'serviceUnavailableException', 'validationException',
] as const;
export type BedrockStreamExceptionType = typeof BEDROCK_STREAM_EXCEPTIONS[number];

const STREAM_EXCEPTION_MESSAGES: Record<BedrockStreamExceptionType, Record<string, unknown>> = {
  modelStreamErrorException: { message: 'An error occurred while the model was streaming its response.', originalStatusCode: 500, originalMessage: 'Model stream error.' },
  throttlingException: { message: 'Too many requests, please wait before trying again.' },
  internalServerException: { message: 'The server encountered an internal error.' },
  serviceUnavailableException: { message: 'Service is temporarily unavailable.' },
  validationException: { message: 'The model refused to continue the response.' },
};

/** The content type of an event-stream response. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** One `:message-type event` frame: the event's members as the JSON payload. */
export function eventFrame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** One `:message-type exception` frame: the modelled exception, which the SDK raises as its own exception class. */
export function exceptionFrame(type: BedrockStreamExceptionType): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(STREAM_EXCEPTION_MESSAGES[type]), 'utf8')),
  });
}

/**
 * The answer cut into delta chunks: one word (a stand-in token) each, with the whitespace before it, so the chunks
 * concatenate to the text exactly.
 */
export function deltaChunks(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}
