// The Bedrock stand-in's default answer: short, deterministic sentences built from the request, labelled as offline.

/** What the default answer reads from a Converse request. */
export interface OfflineAnswerRequest {
  readonly modelId: string;
  /** Text of the last user message. */
  readonly prompt: string;
  /** The parsed request body (`system` is read for context sentences). */
  readonly body: Record<string, unknown>;
}

// Words that carry no topic: function words, and the verbs and nouns of an instruction ("In two sentences,
// explain..."). Negations are not here: "can I pay by card" and "can't I pay by card" must get different answers.
const STOP_WORDS = new Set(`a an the and or but if then so to of in on at by for with from into about as is are was were be been being
do does did done have has had having i me my we our you your he she it its they them their this that these those what which who whom
whose when where why how can could would should will shall may might must please tell me us there here any some just also very
am get got let lets let's hi hello hey up out over than too own same such only more most other again once all each both few`.split(/\s+/));
const INSTRUCTION_WORDS = new Set(`explain describe write answer summarise summarize greet give list offer reply respond say state
sentence sentences word words briefly brief short friendly one two three four five paragraph paragraphs concise clearly`.split(/\s+/));
// A sentence of the request that starts like this instructs the model; it is never quoted as a fact.
const INSTRUCTION_START = /^(answer|use|never|always|do|don't|treat|ignore|reply|respond|write|keep|be|you|if|only|quote|the visitor|the question|in \w+ sentences?)\b/i;

const DEPLOYED = 'Deployed, a Bedrock model writes this answer instead.';
const MAX_PHRASES = 4;
const MAX_PHRASE_WORDS = 4;
const MAX_QUOTED_WORDS = 40;

/**
 * The stand-in's default answer to a Converse request: one to two short, complete sentences that say they come from
 * the offline stand-in, not a model, and name what was asked. When the user message quotes a visitor's question as
 * `<question>...</question>`, the answer names that question's content words (so different questions get different
 * answers), and quotes the one sentence of the request's context (system prompt, or the user message outside the
 * question) that shares the most of them, if any. Otherwise it names the prompt's subject: its named things
 * ("Atlas Engine", "Amazon Lex"), else its content words. The same request always gets the same answer.
 */
export function offlineAnswer(request: OfflineAnswerRequest): string {
  const question = quotedQuestion(request.prompt);
  if (question !== undefined) {
    const words = tokens(question);
    const topic = listPhrases(contentPhrases(question, false)) ?? 'it';
    const context = [systemText(request.body), request.prompt.replace(/<question>[\s\S]*?<\/question>/gi, ' ')].join('\n');
    const quoted = bestContextSentence(context, new Set(words.filter((w) => isContent(w, false)).map(stem)));
    const second = quoted ?? DEPLOYED;
    return `The offline Bedrock stand-in, not a model, answers your question about ${topic}. ${second}`;
  }
  const firstSentence = sentences(request.prompt)[0] ?? '';
  const topic = listPhrases(namedThings(firstSentence)) ?? listPhrases(contentPhrases(firstSentence, true)) ?? 'the request';
  return `The offline Bedrock stand-in, not a model, answers here about ${topic}. ${DEPLOYED}`;
}

/** The last `<question>...</question>` of the prompt, with the XML entities a prompt builder escapes decoded. */
function quotedQuestion(prompt: string): string | undefined {
  const all = [...prompt.matchAll(/<question>([\s\S]*?)<\/question>/gi)];
  const last = all.at(-1)?.[1];
  if (last === undefined) return undefined;
  return last.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&').trim();
}

function systemText(body: Record<string, unknown>): string {
  const system = Array.isArray(body.system) ? body.system as Array<{ text?: unknown }> : [];
  return system.map((block) => (typeof block.text === 'string' ? block.text : '')).join('\n');
}

/** Words (letters, digits, apostrophes, inner hyphens and dots), in order, original case kept. */
function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu) ?? [];
}

function isContent(word: string, instruction: boolean): boolean {
  const lower = word.toLowerCase().replace(/’/g, "'");
  if (/n't$/.test(lower) || lower === 'not' || lower === 'no' || lower === 'never' || lower === 'cannot') return true;
  if (STOP_WORDS.has(lower)) return false;
  return !(instruction && INSTRUCTION_WORDS.has(lower));
}

/** Runs of consecutive content words: "what runs the phone calls" gives "runs", "phone calls". */
function contentPhrases(text: string, instruction: boolean): string[] {
  return runs(text, (word) => isContent(word, instruction));
}

/** Capitalised runs that are not sentence openers or function words: "Atlas Engine", "Amazon Lex". */
function namedThings(text: string): string[] {
  return runs(text, (word) => /^\p{Lu}/u.test(word) && !STOP_WORDS.has(word.toLowerCase()) && !INSTRUCTION_WORDS.has(word.toLowerCase()));
}

/** Maximal runs of words that pass `keep`, never across punctuation, each once, in order. */
function runs(text: string, keep: (word: string) => boolean): string[] {
  const found: string[] = [];
  for (const segment of text.split(/[,;:()!?"]/)) {
    let run: string[] = [];
    for (const word of [...tokens(segment), '']) {
      if (word !== '' && keep(word)) {
        run.push(word);
      } else if (run.length > 0) {
        found.push(run.slice(0, MAX_PHRASE_WORDS).join(' '));
        run = [];
      }
    }
  }
  return [...new Set(found)];
}

/** "a", "a and b", "a, b and c"; undefined when there is nothing to name. */
function listPhrases(phrases: readonly string[]): string | undefined {
  const kept = phrases.slice(0, MAX_PHRASES);
  if (kept.length === 0) return undefined;
  return kept.length === 1 ? kept[0] : `${kept.slice(0, -1).join(', ')} and ${kept.at(-1)}`;
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter((s) => s !== '');
}

/** A crude stem, so "calls" meets "call" and "used" meets "use". */
function stem(word: string): string {
  return word.toLowerCase().replace(/’/g, "'").replace(/(ing|ed|es|s)$/, '') || word.toLowerCase();
}

/** The context sentence sharing the most content words with the question (at least one), if it reads as a fact. */
function bestContextSentence(context: string, questionStems: ReadonlySet<string>): string | undefined {
  let best: { sentence: string; score: number } | undefined;
  for (const sentence of sentences(context)) {
    if (/[<>{}]/.test(sentence) || INSTRUCTION_START.test(sentence) || /\?$/.test(sentence)) continue;
    const words = tokens(sentence);
    if (words.length < 3 || words.length > MAX_QUOTED_WORDS) continue;
    const shared = new Set(words.filter((w) => isContent(w, false)).map(stem).filter((s) => questionStems.has(s)));
    if (shared.size > 0 && (best === undefined || shared.size > best.score)) best = { sentence, score: shared.size };
  }
  if (best === undefined) return undefined;
  return /[.!]$/.test(best.sentence) ? best.sentence : `${best.sentence}.`;
}
