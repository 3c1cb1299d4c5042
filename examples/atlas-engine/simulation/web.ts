// The Atlas Engine's web chat offline: the bundled page and the proxy bundle from the cloud assembly on 127.0.0.1,
// talking to the offline Atlas's Lex runtime (startLexStandIn on the synthesized bot and its fulfillment bundle).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { startWebChatServer, webChatProxyFromAssembly, type LexStandIn, type WebChatServer } from 'cdk-fast-lex/testing';
import { buildApp } from '../bin/app';
import { OfflineAtlas } from './offline-atlas';

export interface OfflineWebChatOptions {
  readonly template: { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };
  readonly assemblyDirectory: string;
  /** Where the bundles resolve the AWS SDK (the Lambda runtime provides it). */
  readonly nodeModulesFrom: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Messages per session per window, over the template's. @default - the template's */
  readonly rateLimit?: number;
  /** A streamed answer's deadline, ms, over the template's. @default - the template's */
  readonly streamDeadlineMs?: number;
}

/** A running offline web chat. */
export interface OfflineWebChat {
  readonly url: string;
  readonly lex: LexStandIn;
  readonly server: WebChatServer;
  stop(): Promise<void>;
}

/** Starts the web chat in front of a running offline Atlas, on its offline Lex runtime (the synthesized bot). */
export async function startOfflineWebChat(atlas: OfflineAtlas, options: OfflineWebChatOptions): Promise<OfflineWebChat> {
  const lex = atlas.lex;
  const proxyId = Object.entries(options.template.Resources)
    .find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Environment?.Variables?.FAST_LEX_WEB_CHAT_TABLE !== undefined);
  const variables = proxyId?.[1].Properties?.Environment?.Variables;
  const tableRef = variables?.FAST_LEX_WEB_CHAT_TABLE as { Ref?: string } | undefined;
  if (!tableRef?.Ref) throw new Error('The template has no LexWebChat proxy with a table reference.');
  // Streaming: the fulfillment's cache table (created under its logical id) and the generation queue (moto's URL).
  const cacheTableRef = variables?.FAST_LEX_WEB_CHAT_STREAM_CACHE_TABLE as { Ref?: string } | undefined;
  const proxy = webChatProxyFromAssembly({
    assemblyDirectory: options.assemblyDirectory,
    resources: options.template.Resources,
    nodeModulesFrom: options.nodeModulesFrom,
    environment: {
      FAST_LEX_WEB_CHAT_BOT_ID: lex.botId,
      FAST_LEX_WEB_CHAT_BOT_ALIAS_ID: lex.botAliasId,
      FAST_LEX_WEB_CHAT_LOCALE_ID: lex.localeId,
      // The offline Atlas creates every table of the template under its logical id.
      FAST_LEX_WEB_CHAT_TABLE: tableRef.Ref,
      ...(options.rateLimit ? { FAST_LEX_WEB_CHAT_RATE_LIMIT: String(options.rateLimit) } : {}),
      ...(cacheTableRef?.Ref ? { FAST_LEX_WEB_CHAT_STREAM_CACHE_TABLE: cacheTableRef.Ref, FAST_LEX_WEB_CHAT_STREAM_QUEUE_URL: atlas.queueUrl } : {}),
      ...(options.streamDeadlineMs ? { FAST_LEX_WEB_CHAT_STREAM_DEADLINE_MS: String(options.streamDeadlineMs) } : {}),
    },
  });
  const server = await startWebChatServer({ proxy, port: options.port, environment: { AWS_ENDPOINT_URL_LEX_RUNTIME_V2: lex.endpoint } });
  return { url: server.url, lex, server, stop: () => server.stop() };
}

/** `npm run atlas -- --web`: serves the chat until Ctrl+C. */
export async function serveWebChat(atlas: OfflineAtlas, options: OfflineWebChatOptions & { print: (line: string) => void }): Promise<void> {
  const chat = await startOfflineWebChat(atlas, { ...options, port: options.port ?? 0 });
  options.print(`Web chat: ${chat.url}`);
  options.print('(the offline Lex runtime matches utterances by word overlap, not Lex\'s NLU; Ctrl+C stops it)');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await chat.stop();
}

/** The whole offline web chat in one call, for the browser test and the benchmark: synthesize, start, serve. */
export async function startAtlasWebChat(options: { outdir: string; nodeModulesFrom: string; rateLimit?: number; streamDeadlineMs?: number }): Promise<OfflineWebChat & { atlas: OfflineAtlas }> {
  const exampleDir = join(__dirname, '..');
  const context = JSON.parse(readFileSync(join(exampleDir, 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir: options.outdir, context });
  const { stack } = buildApp(app);
  app.synth();
  const template = JSON.parse(readFileSync(join(options.outdir, `${stack.artifactId}.template.json`), 'utf8'));
  // No stand-in latencies: what is measured through the page is the page's, the proxy's and the bot's own time.
  const atlas = await OfflineAtlas.start({
    template, assemblyDirectory: options.outdir, nodeModulesFrom: options.nodeModulesFrom, output: { turnLines: [] },
    latencies: { secretsManagerMs: 0, salesforceOauthMs: 0, salesforceApiMs: 0, salesforceNewConnectionMs: 0, bedrockMs: 0, connectMs: 0, dynamoDbMs: 0 },
  });
  try {
    const chat = await startOfflineWebChat(atlas, {
      template, assemblyDirectory: options.outdir, nodeModulesFrom: options.nodeModulesFrom, rateLimit: options.rateLimit, streamDeadlineMs: options.streamDeadlineMs,
    });
    return { ...chat, atlas, stop: async () => { await chat.stop(); await atlas.stop(); } };
  } catch (err) {
    await atlas.stop();
    throw err;
  }
}
