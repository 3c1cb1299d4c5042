// The chat page with a bot of any shape, by keyboard only: LexWebChat synthesized, its proxy bundle run by the test
// kit's web chat server on dynalite, a bot whose prompt is a response card, in headless Chromium.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LexWebChat } from '../../src';
import type { LexV2Event } from '../../src/runtime/lex/types';
import {
  LOCAL_CREDENTIALS, createWebChatTable, localDynamoDbClient, startLexStandIn, startLocalDynamoDb, startWebChatServer, webChatProxyFromAssembly,
  type LexStandIn, type LocalEndpoint, type WebChatServer,
} from '../../src/testing';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/browser';
import { close, pizzaBot } from './lex-stand-in/bots';

const root = resolve(__dirname, '..', '..');
const screenshots = join(root, 'test-output', 'web-chat');

/** The pizza bot, asking for the size with a response card (Lex V2 ImageResponseCard: title and buttons). */
function cardBot() {
  const bot = pizzaBot((event: LexV2Event) => close(event, 'Ordered. We will call when it leaves the oven.'));
  const [locale] = bot.botLocales;
  const intents = locale.intents ?? [];
  const orderPizza = intents.find((i) => i.name === 'OrderPizza')!;
  const slots = orderPizza.slots!.map((s) => s.name !== 'Size' ? s : {
    ...s,
    valueElicitationSetting: {
      ...s.valueElicitationSetting,
      promptSpecification: { maxRetries: 1, messageGroupsList: [{ message: { imageResponseCard: { title: 'What size?', buttons: [{ text: 'Small', value: 'small' }, { text: 'Large', value: 'large' }] } } }] },
    },
  });
  return { ...bot, botLocales: [{ ...locale, intents: intents.map((i) => (i === orderPizza ? { ...i, slots } : i)) }] };
}

describe('the chat page with any bot alias, by keyboard', () => {
  let outdir: string;
  let dynamo: LocalEndpoint;
  let lex: LexStandIn;
  let server: WebChatServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'web-chat-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Chat', { env: { account: '123456789012', region: 'us-east-1' } });
    new LexWebChat(stack, 'WebChat', { botId: 'PIZZABOT01', botAliasId: 'LIVEALIAS1' });
    app.synth();
    const template = JSON.parse(readFileSync(join(outdir, 'Chat.template.json'), 'utf8'));

    dynamo = await startLocalDynamoDb();
    await createWebChatTable(localDynamoDbClient(dynamo.endpoint), 'chat');
    lex = await startLexStandIn({ bot: cardBot() });
    const proxy = webChatProxyFromAssembly({ assemblyDirectory: outdir, resources: template.Resources, environment: { FAST_LEX_WEB_CHAT_TABLE: 'chat' }, nodeModulesFrom: root });
    server = await startWebChatServer({
      proxy,
      environment: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_LEX_RUNTIME_V2: lex.endpoint,
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 800, height: 700 } });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await lex?.close();
    await dynamo?.stop();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  /** The bot messages so far, as the visitor reads them. */
  const botMessages = () => page.locator('.msg.bot').allInnerTexts();

  async function waitForAnswers(count: number): Promise<void> {
    await page.waitForFunction((n) => document.querySelectorAll('.msg.bot').length >= n && document.getElementById('typing')!.hidden, count);
  }

  async function typeAndEnter(text: string, answers: number): Promise<void> {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await waitForAnswers(answers);
  }

  it('orders by keyboard alone: a response card answered with its button, the slots, the confirmation, the close', async () => {
    // The page starts with its own welcome line and the focus in the message box.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('message');

    await typeAndEnter('i want a pizza', 2);
    const large = page.getByRole('button', { name: 'Large' });
    await page.keyboard.press('Shift+Tab'); // from the message box back into the log: the card's last button
    await expect(large.evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    await page.screenshot({ path: join(screenshots, 'card-buttons.png') });
    await page.keyboard.press('Enter');
    await waitForAnswers(3);
    await typeAndEnter('555 010 0199', 4);
    await typeAndEnter('2', 5);
    await typeAndEnter('yes', 6);
    await page.screenshot({ path: join(screenshots, 'card-order-done.png') });

    const said = await botMessages();
    expect(said[1]).toBe('What size?\nSmall\nLarge');
    expect(said.slice(2)).toEqual([
      'Your phone number?',
      'How many?',
      expect.stringMatching(/^2 large pizzas, and we call .*5550100199.*\. Shall I order\?$/),
      'Ordered. We will call when it leaves the oven.',
    ]);
    // The card's buttons answered once; what the visitor pressed shows as their message, the value went to Lex.
    await expect(large.isDisabled()).resolves.toBe(true);
    await expect(page.locator('.msg.me').allInnerTexts()).resolves.toEqual(['i want a pizza', 'Large', '555 010 0199', '2', 'yes']);
    expect(lex.turns.map((t) => t.text)).toContain('large');
    expect(consoleErrors).toEqual([]);
  });

  it('starts a new session without a word to the visitor when the kept one has expired, and delivers the message', async () => {
    const expired = '0123456789abcdef0123456789abcdef';
    await page.evaluate((id) => sessionStorage.setItem('fast-lex-web-chat:session', JSON.stringify(id)), expired);
    const before = (await botMessages()).length;

    await page.getByRole('textbox', { name: 'Message' }).focus();
    await typeAndEnter('hello', before + 1);

    expect((await botMessages()).at(-1)).toBe('Hi! Want a pizza?');
    await expect(page.evaluate(() => JSON.parse(sessionStorage.getItem('fast-lex-web-chat:session')!))).resolves.toMatch(/^[0-9a-f]{32}$/);
    await expect(page.evaluate(() => sessionStorage.getItem('fast-lex-web-chat:session'))).resolves.not.toContain('0123456789abcdef');
    expect(server.apiCalls.slice(-3).map((c) => `${c.path} ${c.status}`)).toEqual(['/api/message 401', '/api/session 201', '/api/message 200']);
  });

  it('refuses a POST without the body hash CloudFront needs to sign it for the function URL', async () => {
    const res = await fetch(`${server.url}api/session`, { method: 'POST', body: '{}' });

    expect(res.status).toBe(403);
  });
});
