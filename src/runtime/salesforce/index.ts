// cdk-fast-lex/runtime/salesforce: a pooled, idempotent Salesforce client for Lambda handlers (JWT bearer auth from a
// cached secret). Imports jsforce and undici.
export {
  SalesforceAuthError,
  SalesforceCredentialsError,
  SalesforceInputError,
  SalesforceRecordError,
  SalesforceUnavailableError,
  type SalesforceErrorDetail,
} from './errors';
export { signJwtBearerAssertion, type JwtBearerClaims } from './jwt-bearer';
export {
  DEFAULT_SALESFORCE_API_VERSION,
  SalesforceClient,
  getSalesforceClient,
  resetSalesforceClients,
  type LeadFields,
  type LeadUpsertResult,
  type SalesforceClientLogger,
  type SalesforceClientOptions,
  type SalesforceClientStats,
  type SalesforceCredentials,
} from './salesforce-client';
