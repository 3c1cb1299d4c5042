// The response cache table's schema, shared by the ResponseCacheTable construct and the runtime SDK.

/** Partition key: `RESPONSE#{intent}#{contextHash}`. */
export const CACHE_PARTITION_KEY = 'PK';
/** Sort key (string): when the answer was generated, so a key keeps its history and the newest answer is one Query. */
export const CACHE_SORT_KEY = 'SK';
/** Epoch seconds after which DynamoDB may delete the item (deletion lags up to 48 h: readers check it themselves). */
export const CACHE_TTL_ATTRIBUTE = 'ttl';
/** GSI for analytics: answers per intent over time. */
export const CACHE_INTENT_INDEX = 'GSI1';
export const CACHE_INTENT_ATTRIBUTE = 'intent';
export const CACHE_GENERATED_AT_ATTRIBUTE = 'generatedAt';
