// The table a demo call's context lives in: keyed by `pk`, expiring through `ttl`, encrypted and recoverable.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { CALL_CONTEXT_PARTITION_KEY, CALL_CONTEXT_TTL_ATTRIBUTE } from '../../shared/call-context-schema';
import type { CallContextTableOptions } from './props';

/** The call-context table, with the secure defaults of `CallContextTableOptions`. */
export function createCallContextTable(scope: Construct, options: CallContextTableOptions): dynamodb.Table {
return new dynamodb.Table(scope, 'CallContext', {
    partitionKey: { name: CALL_CONTEXT_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: options.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
    encryptionKey: options.encryptionKey,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: options.pointInTimeRecovery ?? true },
    timeToLiveAttribute: CALL_CONTEXT_TTL_ATTRIBUTE,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  });
}
