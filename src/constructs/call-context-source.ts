// What a construct that answers during a call needs from the workflow that placed it: the call context, read-only.
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A source of call context (the scenario of a running call, keyed by `interactionKey`), such as a
 * `DemoCallWorkflow`. `CachedLexFulfillment` reads it during a call with the least privilege the source grants.
 */
export interface ICallContextSource {
  /** The call-context table: partition key `pk` (string). */
  readonly callContextTable: dynamodb.ITable;

  /**
   * The phone rules (`PhoneRules` JSON: allowed countries and types, default country) the source's workflow validates
   * demo requests with; `CachedLexFulfillment` checks a request with the same rules before it starts the workflow.
   * @default - none: the Lex boundary checks E.164, mobile or fixed line, any country
   */
  readonly phoneRulesJson?: string;

  /** Lets `grantee` read call context by key, and nothing more. */
  grantReadCallContext(grantee: iam.IGrantable): iam.Grant;
}
