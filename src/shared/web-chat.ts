// The contract between LexWebChat (construct), the web-chat proxy (runtime) and the chat page: limits, paths, wire shapes.

// Environment variable names are in `env.ts` (FAST_LEX_ENV.webChat*), defaults in `defaults.ts` (DEFAULT_WEB_CHAT_*).

/** RecognizeText accepts 1 to 1,024 characters of text (Lex V2 API reference, RecognizeText, Request Body). */
export const WEB_CHAT_MAX_TEXT_CHARACTERS = 1024;

/** Request attributes with this prefix are reserved by Lex and change how it processes the turn. */
export const LEX_RESERVED_ATTRIBUTE_PREFIX = 'x-amz-lex:';

/** Paths the page calls; CloudFront routes `/api/*` to the proxy's function URL. */
export const WEB_CHAT_PATHS = {
  session: '/api/session',
  message: '/api/message',
} as const;

/** DynamoDB table schema: one string partition key and a TTL attribute (epoch seconds). */
export const WEB_CHAT_TABLE_SCHEMA = {
  partitionKey: 'pk',
  ttlAttribute: 'ttl',
} as const;

/** A server-issued session id: 128 random bits as 32 lower-case hex digits. */
export const WEB_CHAT_SESSION_ID_PATTERN = /^[0-9a-f]{32}$/;

/** A per-message idempotency key chosen by the page: 8 to 64 characters of [A-Za-z0-9_-]. */
export const WEB_CHAT_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Answer of `POST /api/session`. */
export interface WebChatSessionResponse {
  readonly sessionId: string;
}

/** Body of `POST /api/message`. */
export interface WebChatMessageRequest {
  readonly sessionId: string;
  /** Idempotency key: a retry with the same id returns the first answer and never reaches Lex again. */
  readonly messageId: string;
  readonly text: string;
  /** Forwarded to Lex as request attributes, except those with the reserved `x-amz-lex:` prefix. */
  readonly requestAttributes?: Readonly<Record<string, string>>;
}

/** A button of a response card: `value` is what is sent when it is pressed. */
export interface WebChatButton {
  readonly text: string;
  readonly value: string;
}

/** One bot message, always rendered as text. */
export interface WebChatBotMessage {
  readonly text: string;
  /** A response card's title and buttons, when Lex sent an ImageResponseCard. */
  readonly title?: string;
  readonly subtitle?: string;
  readonly buttons?: readonly WebChatButton[];
}

/** Answer of `POST /api/message` (HTTP 200). */
export interface WebChatMessageResponse {
  readonly messages: readonly WebChatBotMessage[];
  /** Lex's dialog action type (ElicitSlot, ConfirmIntent, Close...), for the page to know the conversation ended. */
  readonly dialogAction?: string;
  /**
   * Set when a streamed answer did not complete: why the static answer is shown (a retry of a message id whose
   * answer streamed gets what the visitor read, with this reason). @default - the answer is what Lex or the stream gave
   */
  readonly notice?: string;
}

// The two attributes between the proxy and the fulfillment live in their own module: the fulfillment bundle imports
// them without the rest of this contract.
export { WEB_CHAT_STREAM_REQUEST_ATTRIBUTE, WEB_CHAT_STREAM_TICKET_ATTRIBUTE } from './web-chat-stream';

/** Content type of a streamed answer: one JSON `WebChatStreamEvent` per line. */
export const WEB_CHAT_STREAM_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

/** Why a streamed answer did not complete. */
export type WebChatStreamFailure = 'failed' | 'deadline' | 'refused' | 'incomplete';

/**
 * One line of a streamed answer (HTTP 200, `WEB_CHAT_STREAM_CONTENT_TYPE`). In order: `start` (Lex's messages for
 * this turn: the static answer, held back by the page while the generated one streams), `delta`s, then `done` or
 * `failed`. After `failed` the page shows `start`'s messages with `message` as the visible reason.
 */
export type WebChatStreamEvent =
  | { readonly type: 'start'; readonly messages: readonly WebChatBotMessage[]; readonly dialogAction?: string }
  | { readonly type: 'delta'; readonly text: string }
  /** `text` is the answer as stored: a cut-off last sentence is removed (`trimmed`). */
  | { readonly type: 'done'; readonly text: string; readonly trimmed?: boolean }
  | { readonly type: 'failed'; readonly reason: WebChatStreamFailure; readonly message: string };

/** Every non-200 answer: `message` is written for the visitor; `retryable` says if the same request may be retried. */
export interface WebChatErrorResponse {
  readonly error: WebChatErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

export type WebChatErrorCode =
  | 'bad-request'
  | 'empty'
  | 'too-long'
  | 'session-unknown'
  | 'rate-limited'
  | 'in-progress'
  | 'unavailable'
  | 'busy'
  | 'failed'
  | 'not-found'
  | 'method-not-allowed';

/**
 * The page's Content-Security-Policy, sent by CloudFront and by the local server: scripts and styles only from
 * the page's own origin (no inline script or style), calls only to the same origin, never framed.
 */
export const WEB_CHAT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** HSTS max-age the page is served with: two years, subdomains included. */
export const WEB_CHAT_HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;
