// A web chat for a Lex V2 bot alias: a small page on CloudFront and S3, and a proxy Lambda behind a function URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { DEFAULT_WEB_CHAT_LOCALE_ID, DEFAULT_WEB_CHAT_RATE_LIMIT, DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS, DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS } from '../../shared/defaults';
import { FAST_LEX_ENV } from '../../shared/env';
import { WEB_CHAT_CONTENT_SECURITY_POLICY, WEB_CHAT_HSTS_MAX_AGE_SECONDS, WEB_CHAT_TABLE_SCHEMA } from '../../shared/web-chat';
import { prebundledHandler } from '../handler-code';
import { resolveForNag } from '../nag-ids';
import { RightSizedFunction, WorkloadProfile } from '../right-sized-function';
import { grantStreaming, streamDeadlineMs, streamingEnvironment, type WebChatStreamingProps } from './streaming';
import { validateBotAlias, validateConcurrency, validateRateLimit, validateWebAclArn } from './validate';

/** The most Lex turns in flight at once by default: a ceiling on cost and on the load a flood can cause. */
const DEFAULT_RESERVED_CONCURRENCY = 20;
/** What the latency-critical profile provisions (RightSizedFunction's default). */
const LATENCY_CRITICAL_PROVISIONED_CONCURRENCY = 2;

/**
 * How many messages one chat session may send in a window.
 */
export interface WebChatRateLimit {
  /** Messages per window. */
  readonly messages: number;
  /** The window. */
  readonly window: Duration;
}

/**
 * Properties of a `LexWebChat`.
 */
export interface LexWebChatProps {
  /** The bot's id, e.g. `CfnBot.attrId`. */
  readonly botId: string;
  /**
   * The id of a published bot alias, e.g. `CfnBotAlias.attrBotAliasId` or `CachedLexFulfillment.botAlias.attrBotAliasId`.
   * The test alias `TSTALIASID` is refused.
   */
  readonly botAliasId: string;
  /**
   * The locale the chat talks in.
   * @default 'en_US'
   */
  readonly localeId?: string;
  /**
   * Messages one session may send per window; the next one is answered with a polite "please wait".
   * @default - 20 messages per 60 seconds
   */
  readonly rateLimit?: WebChatRateLimit;
  /**
   * How long a session id the proxy issued stays valid.
   * @default Duration.hours(12)
   */
  readonly sessionLifetime?: Duration;
  /**
   * A WAFv2 web ACL of scope CLOUDFRONT (it lives in us-east-1) to put in front of the distribution, e.g. with a
   * rate-based rule per IP address. A REGIONAL web ACL is refused.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Reserved concurrency of the proxy: the most Lex turns in flight at once, a ceiling on cost and on load.
   * @default 20
   */
  readonly reservedConcurrency?: number;
  /**
   * Provisioned concurrency on the proxy's `live` alias.
   * @default 2 (the latency-critical profile)
   */
  readonly provisionedConcurrency?: number;
  /**
   * CloudFront price class.
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * Streams the first answer to a new question into the page, word by word, from the fulfillment's model; the
   * answer is then cached for the next asker. Hits, slot elicitation, confirmation and workflow intents are answered
   * by Lex as without it.
   * @default - no streaming: a new question gets the intent's static answer, and its generated answer reaches the next asker
   */
  readonly streaming?: WebChatStreamingProps;
}

/**
 * A web chat for a Lex V2 bot alias, with no AWS credentials in the browser.
 *
 * A private, encrypted, TLS-only S3 bucket holds a small framework-free chat page; CloudFront serves it through
 * origin access control with a strict Content-Security-Policy, HSTS and `frame-ancestors 'none'`. `/api/*` goes
 * through CloudFront (origin access control, SigV4) to a Lambda function URL with IAM auth, where a proxy issues
 * random 128-bit session ids, rate-limits each session in DynamoDB, drops client session attributes and reserved
 * request attributes, and calls `RecognizeText` on the one bot alias it may call. Voice stays with Amazon Connect.
 *
 * @example
 * import { App, CfnOutput, Stack } from 'aws-cdk-lib';
 * import * as lex from 'aws-cdk-lib/aws-lex';
 * import { LexWebChat } from 'cdk-fast-lex';
 *
 * const stack = new Stack(new App(), 'Chat');
 * declare const botAlias: lex.CfnBotAlias;
 * const chat = new LexWebChat(stack, 'WebChat', {
 *   botId: botAlias.botId,
 *   botAliasId: botAlias.attrBotAliasId,
 * });
 * new CfnOutput(stack, 'WebChatUrl', { value: chat.url });
 */
export class LexWebChat extends Construct {
  /** The chat page's address, `https://<distribution domain>/`. */
  public readonly url: string;
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The private bucket holding the page. */
  public readonly bucket: s3.Bucket;
  /** The proxy; CloudFront invokes `proxyFunction.alias` through its function URL. */
  public readonly proxyFunction: RightSizedFunction;
  /** The proxy's function URL (IAM auth: only this distribution can call it). */
  public readonly functionUrl: lambda.FunctionUrl;
  /** Sessions, rate windows and idempotent answers, all with a TTL. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: LexWebChatProps) {
    super(scope, id);
    validateBotAlias(props.botId, props.botAliasId);
    validateWebAclArn(props.webAclArn);
    const rateLimit = props.rateLimit ?? { messages: DEFAULT_WEB_CHAT_RATE_LIMIT, window: Duration.seconds(DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS) };
    validateRateLimit(rateLimit.messages, rateLimit.window.toSeconds());
    const reservedConcurrency = props.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY;
    validateConcurrency(reservedConcurrency, props.provisionedConcurrency ?? LATENCY_CRITICAL_PROVISIONED_CONCURRENCY);
    const stack = Stack.of(this);
    const deadlineMs = props.streaming ? streamDeadlineMs(`LexWebChat '${id}'`, props.streaming) : undefined;

    this.table = new dynamodb.Table(this, 'SessionTable', {
      partitionKey: { name: WEB_CHAT_TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: WEB_CHAT_TABLE_SCHEMA.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Every item expires within hours; nothing in it is worth keeping after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.proxyFunction = new RightSizedFunction(this, 'Proxy', {
      profile: WorkloadProfile.LATENCY_CRITICAL,
      code: prebundledHandler('web-chat-proxy'),
      reservedConcurrentExecutions: reservedConcurrency,
      provisionedConcurrency: props.provisionedConcurrency,
      // A streamed answer follows the Lex turn: the function lives for both (RecognizeText's 8 s timeout, then the deadline).
      ...(deadlineMs !== undefined ? { timeout: Duration.seconds(10 + Math.ceil(deadlineMs / 1000)) } : {}),
      description: 'Web chat proxy: session, rate limit, Lex RecognizeText on one bot alias, streamed new answers',
      environment: {
        [FAST_LEX_ENV.webChatBotId]: props.botId,
        [FAST_LEX_ENV.webChatBotAliasId]: props.botAliasId,
        [FAST_LEX_ENV.webChatLocaleId]: props.localeId ?? DEFAULT_WEB_CHAT_LOCALE_ID,
        [FAST_LEX_ENV.webChatTable]: this.table.tableName,
        [FAST_LEX_ENV.webChatRateLimit]: String(rateLimit.messages),
        [FAST_LEX_ENV.webChatRateWindowSeconds]: String(rateLimit.window.toSeconds()),
        [FAST_LEX_ENV.webChatSessionTtlSeconds]: String((props.sessionLifetime ?? Duration.seconds(DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS)).toSeconds()),
        ...(props.streaming ? streamingEnvironment(props.streaming, deadlineMs!) : {}),
      },
    });
    // The proxy may call RecognizeText on this one alias and nothing else of Lex (and, to stream, its sessions).
    const aliasArn = stack.formatArn({ service: 'lex', resource: 'bot-alias', resourceName: `${props.botId}/${props.botAliasId}` });
    this.proxyFunction.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lex:RecognizeText'], resources: [aliasArn] }));
    if (props.streaming) grantStreaming(this.proxyFunction, props.streaming, aliasArn);
    this.table.grant(this.proxyFunction.role, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');

    // The proxy is a response-streaming handler (awslambda.streamifyResponse): its URL streams, so CloudFront passes
    // each chunk on as it comes (Lambda: "Invoking a function URL with response streaming").
    this.functionUrl = this.proxyFunction.alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });

    this.bucket = new s3.Bucket(this, 'PageBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Web chat: CSP without inline script, HSTS, never framed',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: WEB_CHAT_CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(WEB_CHAT_HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Web chat page and proxy',
      defaultRootObject: 'index.html',
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: origins.FunctionUrlOrigin.withOriginAccessControl(this.functionUrl),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Never cached nor compressed: each chunk of a streamed answer reaches the page as the proxy writes it.
          compress: false,
          // The function URL checks its own Host header in the signature, so the viewer's is not forwarded.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    const deployment = new s3deploy.BucketDeployment(this, 'Page', {
      sources: [s3deploy.Source.asset(webChatPageAssetPath())],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/chat.js', '/chat.css', '/favicon.svg'],
      prune: true,
      memoryLimit: 256,
    });

    this.acknowledgeNagFindings(deployment, props.webAclArn);
  }

  private acknowledgeNagFindings(deployment: s3deploy.BucketDeployment, webAclArn: string | undefined): void {
    // The deployment's handler is CDK's own singleton (aws-s3-deployment): its runtime, managed policy and
    // wildcards are set by CDK and apply only to uploading this page and invalidating its paths.
    const stack = Stack.of(this);
    const deploymentHandler = deployment.handlerRole.node.scope!;
    Validations.of(deploymentHandler).acknowledge(
      { id: 'AwsSolutions-L1', reason: 'CDK\'s BucketDeployment handler: CDK chooses its runtime; it runs only at deploy time.' },
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'CDK\'s BucketDeployment handler writes its logs with the basic execution role.' },
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'CDK\'s BucketDeployment grants (grantReadWrite on the page bucket, grantRead on the asset) use action wildcards; they cover only those two buckets.',
      })),
      { id: `AwsSolutions-IAM5[Resource::${resolveForNag(stack, `${this.bucket.bucketArn}/*`)}]`, reason: 'The deployment replaces every object of the page bucket, whose keys are the page\'s files.' },
      {
        id: `AwsSolutions-IAM5[Resource::${resolveForNag(stack, `arn:${Aws.PARTITION}:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*`)}]`,
        reason: 'CDK\'s BucketDeployment reads the page from the CDK asset bucket (default bootstrap qualifier).',
      },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'CDK\'s BucketDeployment invalidates the page\'s paths with cloudfront:CreateInvalidation and GetInvalidation, granted by CDK on *.' },
    );
    if (webAclArn === undefined) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: 'No web ACL was given (webAclArn); the proxy rate-limits each session. Add a CLOUDFRONT-scope web ACL with a rate rule per IP address to limit sessions per visitor.',
      });
    }
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds only the public chat page and is read only by CloudFront through origin access control; CloudFront is where requests are seen.',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A chat open to visitors from every country; restrict with a web ACL (webAclArn) where needed.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'Standard access logs would record every visitor\'s IP address; enable them on the distribution where the privacy policy allows.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the TLS policy; with a custom domain and certificate, TLSv1.2_2021 applies.',
      },
    );
  }
}

/** The bundled page: `<package>/assets/web-chat` (lib/constructs/lex-web-chat -> ../../../assets). */
export function webChatPageAssetPath(): string {
  const dir = join(__dirname, '..', '..', '..', 'assets', 'web-chat');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(
      `cdk-fast-lex: the web chat page is missing at ${dir}. In a clone of cdk-fast-lex run 'npx projen bundle'; `
      + 'in an installed package, reinstall cdk-fast-lex (the npm package ships assets/web-chat).',
    );
  }
  return dir;
}
