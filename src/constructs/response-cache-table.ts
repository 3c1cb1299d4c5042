// The DynamoDB table behind the response cache, secure by default.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  CACHE_GENERATED_AT_ATTRIBUTE,
  CACHE_INTENT_ATTRIBUTE,
  CACHE_INTENT_INDEX,
  CACHE_PARTITION_KEY,
  CACHE_SORT_KEY,
  CACHE_TTL_ATTRIBUTE,
} from '../shared/cache-schema';

/**
 * Settings for a response cache table that the construct creates.
 */
export interface ResponseCacheTableOptions {
  /**
   * The table name.
   * @default - CloudFormation generates a unique name
   */
  readonly tableName?: string;

  /**
   * Billing mode. On-demand suits the bursty traffic of a bot and needs no capacity planning.
   * @default dynamodb.BillingMode.PAY_PER_REQUEST
   */
  readonly billingMode?: dynamodb.BillingMode;

  /**
   * Read capacity units, only with `BillingMode.PROVISIONED`.
   * @default 5 when provisioned
   */
  readonly readCapacity?: number;

  /**
   * Write capacity units, only with `BillingMode.PROVISIONED`.
   * @default 5 when provisioned
   */
  readonly writeCapacity?: number;

  /**
   * A customer managed KMS key for encryption at rest.
   * @default - encrypted at rest with an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Point-in-time recovery.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;

  /**
   * What happens to the table when it leaves the stack. A cache can be rebuilt, but its analytics cannot.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Deletion protection.
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * Properties of a `ResponseCacheTable`.
 */
export interface ResponseCacheTableProps {
  /**
   * Use this table instead of creating one. It must have the response cache schema:
   * partition key `PK` (string), sort key `SK` (string), TTL attribute `ttl` and, for analytics, the `GSI1` index on
   * `intent` + `generatedAt`. Conflicts with `tableProps`.
   * @default - a new table is created from `tableProps`
   */
  readonly existingTable?: dynamodb.ITable;

  /**
   * Settings for the new table. Conflicts with `existingTable`.
   * @default - on-demand, AWS owned key, point-in-time recovery, retained on removal
   */
  readonly tableProps?: ResponseCacheTableOptions;
}

/**
 * A DynamoDB table in the response cache schema.
 *
 * Items are keyed `PK = RESPONSE#{intent}#{contextHash}`, `SK = <generation timestamp>`, expire through the `ttl`
 * attribute (readers also check it, since DynamoDB deletes expired items up to 48 hours late), and are indexed by
 * intent and generation time in `GSI1` for hit-rate analytics.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 *
 * const stack = new Stack(new App(), 'Bot');
 * const cache = new ResponseCacheTable(stack, 'Cache', {
 *   tableProps: { tableName: 'AtlasEngine-ResponseCache' },
 * });
 * declare const fulfillment: lambda.IFunction;
 * cache.grantReadCache(fulfillment);
 */
export class ResponseCacheTable extends Construct {
  /** Name of the partition key attribute. */
  public static readonly PARTITION_KEY = CACHE_PARTITION_KEY;
  /** Name of the sort key attribute. */
  public static readonly SORT_KEY = CACHE_SORT_KEY;
  /** Name of the TTL attribute (epoch seconds). */
  public static readonly TTL_ATTRIBUTE = CACHE_TTL_ATTRIBUTE;
  /** Name of the analytics index. */
  public static readonly INTENT_INDEX = CACHE_INTENT_INDEX;
  /** Partition key of the analytics index. */
  public static readonly INTENT_ATTRIBUTE = CACHE_INTENT_ATTRIBUTE;
  /** Sort key of the analytics index (epoch milliseconds). */
  public static readonly GENERATED_AT_ATTRIBUTE = CACHE_GENERATED_AT_ATTRIBUTE;

  /** The table, created or given. */
  public readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: ResponseCacheTableProps = {}) {
    super(scope, id);
    if (props.existingTable && props.tableProps) {
      throw new Error(
        `ResponseCacheTable '${id}': 'existingTable' and 'tableProps' conflict. Pass 'existingTable' to use your own table, or 'tableProps' to let the construct create one, not both.`,
      );
    }
    this.table = props.existingTable ?? this.createTable(id, props.tableProps ?? {});
  }

  /**
   * Lets the grantee read cached answers (GetItem, Query, also on the analytics index) and decrypt them.
   */
  public grantReadCache(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'], 'decrypt');
  }

  /**
   * Lets the grantee write answers and refresh markers (PutItem, UpdateItem, DeleteItem; conditional writes included).
   */
  public grantWriteCache(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'], 'encrypt');
  }

  /**
   * Read and write: the fulfillment path, which reads answers and marks keys for refresh.
   */
  public grantReadWriteCache(grantee: iam.IGrantable): iam.Grant {
    const read = this.grantReadCache(grantee);
    return read.combine(this.grantWriteCache(grantee));
  }

  private grantActions(grantee: iam.IGrantable, actions: string[], keyUse: 'encrypt' | 'decrypt'): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions,
      // The one index of the schema, by name: no wildcard over indexes someone may add later.
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${CACHE_INTENT_INDEX}`],
    });
    const key = this.table.encryptionKey;
    if (key) {
      if (keyUse === 'decrypt') {
        key.grantDecrypt(grantee);
      } else {
        key.grantEncryptDecrypt(grantee);
      }
    }
    return grant;
  }

  private createTable(id: string, options: ResponseCacheTableOptions): dynamodb.Table {
    const billingMode = options.billingMode ?? dynamodb.BillingMode.PAY_PER_REQUEST;
    const provisioned = billingMode === dynamodb.BillingMode.PROVISIONED;
    if (!provisioned && (options.readCapacity !== undefined || options.writeCapacity !== undefined)) {
      throw new Error(
        `ResponseCacheTable '${id}': 'readCapacity' and 'writeCapacity' apply only with 'billingMode: BillingMode.PROVISIONED'. Remove them, or set the billing mode.`,
      );
    }
    const table = new dynamodb.Table(this, 'Table', {
      tableName: options.tableName,
      partitionKey: { name: CACHE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: CACHE_SORT_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: CACHE_TTL_ATTRIBUTE,
      billingMode,
      readCapacity: provisioned ? options.readCapacity ?? 5 : undefined,
      writeCapacity: provisioned ? options.writeCapacity ?? 5 : undefined,
      // DEFAULT is the AWS owned key: encrypted at rest at no cost; a customer key when one is given.
      encryption: options.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.DEFAULT,
      encryptionKey: options.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: options.pointInTimeRecovery ?? true },
      removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: options.deletionProtection,
    });
    table.addGlobalSecondaryIndex({
      indexName: CACHE_INTENT_INDEX,
      partitionKey: { name: CACHE_INTENT_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
      sortKey: { name: CACHE_GENERATED_AT_ATTRIBUTE, type: dynamodb.AttributeType.NUMBER },
      // Analytics count answers per intent over time; the keys are all they need, and they keep the index cheap.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
      readCapacity: provisioned ? options.readCapacity ?? 5 : undefined,
      writeCapacity: provisioned ? options.writeCapacity ?? 5 : undefined,
    });
    return table;
  }
}
