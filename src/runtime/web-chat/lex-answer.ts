// Turns a RecognizeText answer into the page's wire shape, and a Lex failure into something true for the visitor.
import type { Message, RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import type { WebChatBotMessage, WebChatErrorResponse, WebChatMessageResponse } from '../../shared/web-chat';

/** The page renders `text` with textContent; SSML tags are dropped so a voice-first bot still reads as text. */
export function toWebChatResponse(output: Pick<RecognizeTextCommandOutput, 'messages' | 'sessionState'>): WebChatMessageResponse {
  const messages = (output.messages ?? []).map(toBotMessage).filter((m): m is WebChatBotMessage => m !== undefined);
  const dialogAction = output.sessionState?.dialogAction?.type;
  return dialogAction ? { messages, dialogAction } : { messages };
}

function toBotMessage(message: Message): WebChatBotMessage | undefined {
  if (message.contentType === 'ImageResponseCard' && message.imageResponseCard) {
    const card = message.imageResponseCard;
    const buttons = (card.buttons ?? [])
      .filter((b) => b.text && b.value)
      .map((b) => ({ text: b.text!, value: b.value! }));
    return {
      text: message.content ?? '',
      title: card.title ?? '',
      ...(card.subtitle ? { subtitle: card.subtitle } : {}),
      ...(buttons.length > 0 ? { buttons } : {}),
    };
  }
  const content = message.content ?? '';
  const text = message.contentType === 'SSML' ? content.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim() : content;
  return text ? { text } : undefined;
}

/** An answer for the visitor, an HTTP status, and what the log may say (the error's name, never the text). */
export interface MappedLexError {
  readonly status: number;
  readonly body: WebChatErrorResponse;
}

/**
 * Lex V2 RecognizeText errors (API reference, RecognizeText, Errors): each becomes the fact the visitor needs,
 * with `retryable` true only where sending the same message again can succeed.
 */
export function mapLexError(err: unknown): MappedLexError {
  const name = (err as { name?: string } | undefined)?.name ?? 'Error';
  switch (name) {
    case 'ThrottlingException':
      return { status: 503, body: { error: 'busy', message: 'The assistant is busy right now. Please try again in a moment.', retryable: true } };
    case 'ConflictException':
      return { status: 409, body: { error: 'in-progress', message: 'The assistant is still answering your previous message. Please wait a moment.', retryable: true } };
    case 'DependencyFailedException':
    case 'BadGatewayException':
    case 'InternalServerException':
      return { status: 502, body: { error: 'failed', message: 'The assistant could not answer that just now. Please try again.', retryable: true } };
    case 'ValidationException':
      return { status: 400, body: { error: 'bad-request', message: 'The assistant could not read that message. Please rephrase it.', retryable: false } };
    case 'ResourceNotFoundException':
    case 'AccessDeniedException':
      return { status: 503, body: { error: 'unavailable', message: 'The chat assistant is not available right now. Please try again later.', retryable: false } };
    default:
      // Timeouts and network failures between the proxy and Lex: the message may be retried.
      return { status: 504, body: { error: 'failed', message: 'The assistant did not answer in time. Please try again.', retryable: true } };
  }
}
