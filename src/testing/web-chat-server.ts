// The web chat on 127.0.0.1: the bundled page with CloudFront's headers, and /api/* run by the proxy bundle in-process
// as a function URL behind CloudFront origin access control would run it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { FAST_LEX_ENV } from '../shared/env';
import { WEB_CHAT_CONTENT_SECURITY_POLICY, WEB_CHAT_HSTS_MAX_AGE_SECONDS } from '../shared/web-chat';
import type { CfnResource } from './cfn-resolver';
import { setProcessEnvironment, templateLambdas, withEnvironment, type LocalLambda } from './lambda-bundle';
import { installAwsLambdaGlobal, invokeStreaming, isStreamingHandler } from './lambda-streaming';
import { listenLocal, readRequestBody, type LocalEndpoint } from './local-server';

/** Options of `startWebChatServer`. */
export interface WebChatServerOptions {
  /** The proxy, e.g. from `webChatProxyFromAssembly` (its environment is set around the start of each call). */
  readonly proxy: LocalLambda;
  /** The page: a directory holding index.html, chat.js and chat.css. @default the package's assets/web-chat */
  readonly pageDirectory?: string;
  /**
   * Environment variables set for the whole process while the server runs (the proxy's endpoint overrides, such
   * as AWS_ENDPOINT_URL_LEX_RUNTIME_V2, which the SDK reads after the call has started), restored by `stop()`.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/** A running local web chat. */
export interface WebChatServer extends LocalEndpoint {
  /** The page's address, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Every /api request the proxy answered: path and status (never the body). */
  readonly apiCalls: ReadonlyArray<{ readonly path: string; readonly status: number }>;
}

/** The response headers CloudFront adds with LexWebChat's response headers policy. */
export const WEB_CHAT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': WEB_CHAT_CONTENT_SECURITY_POLICY,
  'strict-transport-security': `max-age=${WEB_CHAT_HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The bundled page in this package: `assets/web-chat` (lib/testing -> ../../assets). */
export function webChatPageDirectory(): string {
  return join(__dirname, '..', '..', 'assets', 'web-chat');
}

/**
 * Serves the page and the proxy. A proxy bundle that streams (`awslambda.streamifyResponse`) is run as a function URL
 * with `InvokeMode: RESPONSE_STREAM` runs it: each chunk goes to the browser as it is written. A POST to /api/* must carry `x-amz-content-sha256` equal to the body's SHA-256, as
 * CloudFront's origin access control needs to sign it for the function URL; one without it gets the 403 the
 * function URL would give.
 */
export async function startWebChatServer(options: WebChatServerOptions): Promise<WebChatServer> {
  const pageDirectory = options.pageDirectory ?? webChatPageDirectory();
  if (!existsSync(join(pageDirectory, 'index.html'))) {
    throw new Error(`startWebChatServer: no index.html in ${pageDirectory}; run 'npx projen bundle' to build the page.`);
  }
  const apiCalls: Array<{ path: string; status: number }> = [];
  installAwsLambdaGlobal();
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`The proxy failed: ${(err as Error).name}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/api/')) {
      const body = (await readRequestBody(req)).toString('utf8');
      const streaming = withEnvironment(options.proxy.environment, () => options.proxy.exported?.());
      if (isStreamingHandler(streaming) && isSigned(req, body)) {
        const run = streaming as (e: unknown, s: unknown, c: unknown) => unknown;
        await invokeStreaming((e, s, c) => withEnvironment(options.proxy.environment, () => run(e, s, c)), functionUrlEvent(req, path, body), lambdaContext(), {
          head: (status, headers) => {
            apiCalls.push({ path, status });
            res.writeHead(status, { ...WEB_CHAT_SECURITY_HEADERS, ...headers });
            res.flushHeaders();
          },
          chunk: (data) => { res.write(data); },
        });
        res.end();
        return;
      }
      const result = await invokeProxy(req, path, body);
      apiCalls.push({ path, status: result.statusCode });
      res.writeHead(result.statusCode, { ...WEB_CHAT_SECURITY_HEADERS, ...result.headers });
      res.end(result.body);
      return;
    }
    const file = path === '/' ? 'index.html' : path.slice(1);
    const type = CONTENT_TYPES[extname(file)];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !type || file.includes('/') || !existsSync(join(pageDirectory, file))) {
      res.writeHead(404, { ...WEB_CHAT_SECURITY_HEADERS, 'content-type': 'text/plain' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, { ...WEB_CHAT_SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' });
    res.end(readFileSync(join(pageDirectory, file)));
  }

  function isSigned(req: IncomingMessage, body: string): boolean {
    return req.method !== 'POST' || req.headers['x-amz-content-sha256'] === createHash('sha256').update(body, 'utf8').digest('hex');
  }

  function lambdaContext() {
    return { functionName: options.proxy.name ?? 'web-chat-proxy', awsRequestId: `${Date.now()}`, getRemainingTimeInMillis: () => 10_000 };
  }

  function functionUrlEvent(req: IncomingMessage, path: string, body: string) {
    const method = req.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers,
      requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' }, timeEpoch: Date.now() },
      body,
      isBase64Encoded: false,
    };
  }

  async function invokeProxy(req: IncomingMessage, path: string, body: string): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
    if (!isSigned(req, body)) {
      return { statusCode: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'The request signature we calculated does not match the signature you provided.' }) };
    }
    const event = functionUrlEvent(req, path, body);
    const result = await withEnvironment(options.proxy.environment, () => options.proxy.handler(event, lambdaContext())) as {
      statusCode?: number; headers?: Record<string, string>; body?: string;
    };
    return { statusCode: result?.statusCode ?? 200, headers: result?.headers ?? {}, body: result?.body ?? '' };
  }

  const restore = setProcessEnvironment(options.environment);
  let local: LocalEndpoint;
  try {
    local = await listenLocal(server, options.port ?? 0);
  } catch (err) {
    restore();
    throw err;
  }
  return {
    ...local,
    url: `${local.endpoint}/`,
    apiCalls,
    stop: async () => {
      restore();
      await local.stop();
    },
  };
}

/** Options of `webChatProxyFromAssembly`. */
export interface WebChatProxyFromAssemblyOptions {
  /** The cloud assembly directory holding the proxy's asset. */
  readonly assemblyDirectory: string;
  /** The stack template's resources (the one with the LexWebChat). */
  readonly resources: Readonly<Record<string, CfnResource>>;
  /** Variables to set over the template's: the local bot and alias ids, the local table name, a rate limit. */
  readonly environment: Readonly<Record<string, string>>;
  /** Where the bundle's bare imports (`@aws-sdk/*`) resolve. @default process.cwd() */
  readonly nodeModulesFrom?: string;
}

/** The proxy function a LexWebChat deploys, loaded from its bundled asset in the cloud assembly. */
export function webChatProxyFromAssembly(options: WebChatProxyFromAssemblyOptions): LocalLambda {
  const ids = Object.entries(options.resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[FAST_LEX_ENV.webChatBotAliasId] !== undefined)
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`webChatProxyFromAssembly: ${ids.length} web chat proxy functions in the template (${ids.join(', ') || 'none'}); expected one LexWebChat.`);
  const lambdas = templateLambdas(options.resources, {
    assemblyDirectory: options.assemblyDirectory,
    nodeModulesFrom: options.nodeModulesFrom,
    functionEnvironment: { [ids[0]]: options.environment },
    owner: 'webChatProxyFromAssembly',
  });
  const proxy = Object.values(lambdas).find((l) => l.name === ids[0]);
  if (!proxy) throw new Error(`webChatProxyFromAssembly: the proxy ${ids[0]} has no bundled asset in ${options.assemblyDirectory}.`);
  return proxy;
}
