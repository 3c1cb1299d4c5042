// The call-context table's schema, shared by the DemoCallWorkflow construct and the workflow handlers: its key
// attributes and default lifetime.

/** Partition key attribute of the call-context table (string). */
export const CALL_CONTEXT_PARTITION_KEY = 'pk';
/** TTL attribute of the call-context table (epoch seconds). */
export const CALL_CONTEXT_TTL_ATTRIBUTE = 'ttl';
/** How long call context is kept when nobody says otherwise: one day. */
export const DEFAULT_CALL_CONTEXT_TTL_SECONDS = 86_400;
