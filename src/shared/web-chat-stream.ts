// The attributes through which the web-chat proxy and the fulfillment agree that a turn's answer streams.

/**
 * The request attribute the proxy sends with RecognizeText when it can stream the turn's answer. The proxy removes
 * it from whatever the page sends: only the proxy says it can stream.
 */
export const WEB_CHAT_STREAM_REQUEST_ATTRIBUTE = 'x-fast-lex-stream';

/**
 * The session attribute through which the fulfillment hands the proxy a generation ticket: a random id, nothing
 * else (never the question). The proxy removes it from the session once the stream ends (PutSession).
 */
export const WEB_CHAT_STREAM_TICKET_ATTRIBUTE = 'fastLexStreamTicket';
