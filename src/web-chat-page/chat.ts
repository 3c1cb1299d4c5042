// The chat page's script: talks to the web-chat proxy at /api, renders every bot message as text (a new answer word
// by word as it streams), keeps the session.
/// <reference lib="dom" />
import {
  WEB_CHAT_MAX_TEXT_CHARACTERS,
  WEB_CHAT_PATHS,
  type WebChatBotMessage,
  type WebChatStreamEvent,
  type WebChatErrorResponse,
  type WebChatMessageResponse,
  type WebChatSessionResponse,
} from '../shared/web-chat';

/** One line of the transcript as it is kept across a reload (sessionStorage: it ends with the tab). */
interface Entry {
  readonly who: 'me' | 'bot' | 'system';
  readonly text: string;
  readonly title?: string;
  readonly subtitle?: string;
  readonly buttons?: ReadonlyArray<{ text: string; value: string }>;
  /** A streamed answer that stopped before its end: why (shown with it, so it is never taken for a whole answer). */
  readonly cut?: string;
}

const SESSION_KEY = 'fast-lex-web-chat:session';
const TRANSCRIPT_KEY = 'fast-lex-web-chat:transcript';
/** A message sent and not yet answered: a reload sends it again (same id) and shows its answer once complete. */
const PENDING_KEY = 'fast-lex-web-chat:pending';
/** How often a message the proxy is still answering (409) is asked about again: longer than a streamed answer's deadline. */
const IN_PROGRESS_RETRIES = 20;
const STREAM_TYPE = 'application/x-ndjson';

const log = byId<HTMLDivElement>('log');
const typing = byId<HTMLDivElement>('typing');
const note = byId<HTMLParagraphElement>('note');
const form = byId<HTMLFormElement>('composer');
const input = byId<HTMLTextAreaElement>('message');
const send = byId<HTMLButtonElement>('send');
const counter = byId<HTMLSpanElement>('counter');

const transcript: Entry[] = load<Entry[]>(TRANSCRIPT_KEY) ?? [];
let busy = false;

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function load<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function save(): void {
  try {
    sessionStorage.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript.slice(-200)));
  } catch {
    // Storage full or disabled: the conversation goes on, it just will not survive a reload.
  }
}

/** Every string from the bot goes through textContent: a message can never become markup. */
function render(entry: Entry, active: boolean): HTMLElement {
  const el = document.createElement('div');
  el.className = `msg ${entry.who}`;
  if (entry.title) {
    const t = document.createElement('span');
    t.className = 'card-title';
    t.textContent = entry.title;
    el.append(t);
  }
  if (entry.subtitle) {
    const s = document.createElement('span');
    s.className = 'card-subtitle';
    s.textContent = entry.subtitle;
    el.append(s);
  }
  if (entry.text) el.append(document.createTextNode(entry.text));
  if (entry.cut) {
    el.classList.add('cut');
    const why = document.createElement('span');
    why.className = 'delivery';
    why.textContent = `Cut off: ${entry.cut}`;
    el.append(why);
  }
  if (entry.buttons && entry.buttons.length > 0) {
    const row = document.createElement('div');
    row.className = 'buttons';
    for (const b of entry.buttons) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = b.text;
      button.disabled = !active;
      button.addEventListener('click', () => {
        for (const other of row.querySelectorAll('button')) other.disabled = true;
        void submit(b.value, b.text);
      });
      row.append(button);
    }
    el.append(row);
  }
  return el;
}

function add(entry: Entry): HTMLElement {
  // A card's buttons answer the question just asked; once anything follows, they are spent.
  for (const b of log.querySelectorAll<HTMLButtonElement>('.buttons button')) b.disabled = true;
  transcript.push(entry);
  save();
  const el = render(entry, true);
  log.append(el);
  el.scrollIntoView({ block: 'end' });
  return el;
}

function showNote(text: string | undefined): void {
  note.textContent = text ?? '';
  note.hidden = !text;
}

function setBusy(value: boolean): void {
  busy = value;
  typing.hidden = !value;
  send.disabled = value;
  log.setAttribute('aria-busy', String(value));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** CloudFront signs the request to the function URL (origin access control) and needs the body's SHA-256. */
async function send_(path: string, body: unknown): Promise<Response> {
  const text = JSON.stringify(body);
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-content-sha256': await sha256Hex(text) },
    body: text,
    credentials: 'same-origin',
  });
}

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return read(await send_(path, body));
}

async function read(res: Response): Promise<{ status: number; json: unknown }> {
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

async function session(renew = false): Promise<string> {
  const kept = renew ? undefined : load<string>(SESSION_KEY);
  if (kept) return kept;
  const { status, json } = await post(WEB_CHAT_PATHS.session, {});
  const id = (json as WebChatSessionResponse | undefined)?.sessionId;
  if (status !== 201 || !id) throw new ChatUnavailable((json as WebChatErrorResponse | undefined)?.message ?? `The chat could not start a session (HTTP ${status}).`);
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(id));
  return id;
}

/** The proxy answered, but could not start a session: its message is what the visitor reads. */
class ChatUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChatUnavailable';
  }
}

function messageId(): string {
  return crypto.randomUUID();
}

/** Checks what the visitor typed; a refusal says why and leaves the text in the box. */
function refusal(text: string): string | undefined {
  if (text.trim() === '') return 'Type a message first.';
  const length = Array.from(text.trim()).length;
  if (length > WEB_CHAT_MAX_TEXT_CHARACTERS) {
    return `That message is ${length.toLocaleString('en-US')} characters long; the assistant reads up to ${WEB_CHAT_MAX_TEXT_CHARACTERS.toLocaleString('en-US')}. Please shorten it.`;
  }
  return undefined;
}

/** Sends one message; `shown` is what the transcript shows (a button's label rather than its value). */
async function submit(text: string, shown = text): Promise<void> {
  if (busy) return;
  const problem = refusal(text);
  if (problem) {
    showNote(problem);
    return;
  }
  showNote(undefined);
  const bubble = add({ who: 'me', text: shown.trim() });
  await deliver(bubble, text.trim(), messageId());
}

/** One delivery attempt; the same messageId on every retry, so the proxy sends it to the bot at most once. */
async function deliver(bubble: HTMLElement, text: string, id: string): Promise<void> {
  setBusy(true);
  try {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const sessionId = await session();
      keep(PENDING_KEY, { text, id });
      const res = await send_(WEB_CHAT_PATHS.message, { sessionId, messageId: id, text });
      if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith(STREAM_TYPE) && res.body) {
        await paint(res.body);
        forget(PENDING_KEY);
        return;
      }
      const { status, json } = await read(res);
      if (status === 200) {
        const answer = json as WebChatMessageResponse;
        for (const m of answer.messages) add(botEntry(m));
        if (answer.notice) add({ who: 'system', text: answer.notice });
        if (answer.messages.length === 0) add({ who: 'system', text: 'The assistant had nothing to say to that.' });
        forget(PENDING_KEY);
        return;
      }
      if (!(status === 409 && attempt < IN_PROGRESS_RETRIES)) forget(PENDING_KEY);
      const error = json as WebChatErrorResponse | undefined;
      if (error?.error === 'session-unknown' && !renewed) {
        renewed = true;
        await session(true);
        continue;
      }
      if (error?.error === 'in-progress' && attempt < IN_PROGRESS_RETRIES) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (error?.retryable) {
        failed(bubble, text, id, error.message);
      } else {
        add({ who: 'system', text: error?.message ?? `The chat could not deliver that message (HTTP ${status}).` });
      }
      return;
    }
  } catch (err) {
    failed(bubble, text, id, err instanceof ChatUnavailable ? err.message : 'Not delivered: the connection failed.');
  } finally {
    setBusy(false);
    input.focus();
  }
}

/** Marks a visitor message as not delivered, with a Retry that sends the same message id. */
function failed(bubble: HTMLElement, text: string, id: string, reason: string): void {
  bubble.classList.add('failed');
  const status = document.createElement('span');
  status.className = 'delivery';
  status.textContent = reason;
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'retry';
  retry.textContent = 'Retry';
  retry.addEventListener('click', () => {
    if (busy) return;
    status.remove();
    retry.remove();
    bubble.classList.remove('failed');
    void deliver(bubble, text, id);
  });
  bubble.append(status, retry);
  retry.focus();
}

function keep(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage disabled: a reload will not resend the message; the visitor can ask again.
  }
}

function forget(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing kept.
  }
}

/**
 * Paints a streamed answer: the words as they arrive in one bubble, kept in the transcript once complete. Lex's own
 * answer (the static one) is held back and shown only if the stream fails, with the reason; words already painted
 * stay, marked as cut off.
 */
async function paint(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let held: readonly WebChatBotMessage[] = [];
  let bubble: HTMLElement | undefined;
  let text = '';
  let buffer = '';
  let ended = false;
  const fail = (reason: string) => {
    if (bubble) {
      bubble.remove();
      add({ who: 'bot', text, cut: reason });
    }
    for (const m of held) add(botEntry(m));
    add({ who: 'system', text: reason });
    ended = true;
  };
  const handle = (event: WebChatStreamEvent) => {
    if (event.type === 'start') {
      held = event.messages;
    } else if (event.type === 'delta') {
      if (!bubble) {
        typing.hidden = true;
        bubble = document.createElement('div');
        bubble.className = 'msg bot streaming';
        bubble.setAttribute('aria-busy', 'true');
        log.append(bubble);
      }
      text += event.text;
      bubble.textContent = text;
      bubble.scrollIntoView({ block: 'end' });
    } else if (event.type === 'done') {
      bubble?.remove();
      add({ who: 'bot', text: event.text });
      if (event.trimmed) add({ who: 'system', text: 'The answer ended mid-sentence; its last, unfinished sentence is left out.' });
      ended = true;
    } else if (event.type === 'failed') {
      fail(event.message);
    }
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) handle(JSON.parse(line) as WebChatStreamEvent);
      }
    }
  } catch {
    // The connection broke: what was painted stays, marked.
  }
  if (!ended) fail('The connection closed before the answer was complete.');
}

function botEntry(m: WebChatBotMessage): Entry {
  return { who: 'bot', text: m.text, ...(m.title ? { title: m.title } : {}), ...(m.subtitle ? { subtitle: m.subtitle } : {}), ...(m.buttons ? { buttons: m.buttons } : {}) };
}

function updateCounter(): void {
  const length = Array.from(input.value).length;
  const near = length > WEB_CHAT_MAX_TEXT_CHARACTERS * 0.8;
  counter.textContent = near ? `${length.toLocaleString('en-US')} / ${WEB_CHAT_MAX_TEXT_CHARACTERS.toLocaleString('en-US')}` : '';
  counter.classList.toggle('over', length > WEB_CHAT_MAX_TEXT_CHARACTERS);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value;
  if (busy) return;
  if (!refusal(text)) {
    input.value = '';
    updateCounter();
  }
  void submit(text);
});
// Enter sends, Shift+Enter starts a new line.
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    form.requestSubmit();
  }
});
input.addEventListener('input', updateCounter);

// A reload shows the conversation so far; the last card's buttons stay usable.
transcript.forEach((entry, i) => log.append(render(entry, i === transcript.length - 1)));
if (transcript.length > 0) log.lastElementChild?.scrollIntoView({ block: 'end' });
input.focus();
// A reload while an answer was on its way: the same message id again, so the proxy answers it once, complete.
const pending = load<{ text: string; id: string }>(PENDING_KEY);
const lastMine = Array.from(log.querySelectorAll<HTMLElement>('.msg.me')).pop();
if (pending && lastMine) void deliver(lastMine, pending.text, pending.id);
