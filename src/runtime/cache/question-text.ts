// The question analyser of the matcher: an English question becomes weighted, stemmed terms plus the features that
// change its meaning (negation, numbers, question words, obligation, past tense, who acts on whom), and a signature
// built from them. English only: other languages are tokenised and compared word for word, without stems or features.
import { createHash } from 'node:crypto';
import stem from 'wink-porter2-stemmer';

/** Prefix of every signature: bump it when the analysis changes, so keys stored by an older analyser never match. */
export const SIGNATURE_VERSION = 'q1';
/** Weight of a content word (nouns, verbs, adjectives that say what is asked). */
export const CONTENT_WEIGHT = 1;
/** Weight of a generic word ("tell", "know", "please", "help"): it may differ between paraphrases. */
export const GENERIC_WEIGHT = 0.1;
/** Past this length a signature keeps its head and a hash of the whole (DynamoDB sort keys stop at 1,024 bytes). */
const MAX_SIGNATURE_LENGTH = 400;

/** One term of an analysed question. */
export interface QuestionTerm {
  /** The stem, prefixed `from:` after "from" (a source, not a destination) and `of:` for an owner ("my wife's"). */
  readonly term: string;
  readonly weight: number;
  /** Written as a name (capitalised inside a sentence, or mixed case as in "HubSpot"): never optional. */
  readonly named: boolean;
  /** The word as written (lower case), for reasons. */
  readonly word: string;
}

/** What the matcher compares. */
export interface AnalysedQuestion {
  readonly terms: ReadonlyMap<string, QuestionTerm>;
  readonly totalWeight: number;
  readonly negated: boolean;
  /** Numbers as canonical decimal strings, sorted ("two" and "2" are both '2'). */
  readonly numbers: readonly string[];
  /** Question words that narrow what is asked: when, where, why, who, how much, how many, how long... */
  readonly aspects: readonly string[];
  /** "must", "should", "need to", "have to", "required": asks whether something is required, not how or whether it can be done. */
  readonly obligation: boolean;
  /** "was", "were", "did", "had": asks about something that happened, not how things are. */
  readonly past: boolean;
  /**
   * Who acts on whom when the question names both sides: 'you>me' ("can you call me"), 'me>you' ("can I call
   * you"); undefined when it names one side or none.
   */
  readonly perspective?: 'you>me' | 'me>you';
  readonly signature: string;
}

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

const NEGATIONS = words('not no never none nothing nobody nowhere neither nor without');
const ASPECTS = words('when where why who whom whose');
const HOW_ASPECTS = words('much many long often far old soon big fast early late');
const OBLIGATIONS = words('must should ought need needs needed required require requires mandatory necessary compulsory');
const PAST = words('was were did had');
// Function words, auxiliaries, fillers and greetings: they carry no part of what is asked here (the features above
// carry negation, question words, obligation and tense). "can", "could", "may" and "able" ask the same thing. The
// table is our own rather than a library's: the usual English lists (the `stopword` package's among them) drop
// "never", "only", "before", "after", "most", "same" and "over", which change what is asked.
const STOP = words(`
  a an the this that these those it its itself i me my mine myself we us our ours ourselves you your yours yourself
  yourselves he him his himself she her hers herself they them their theirs themselves one ones
  is am are be been being do does doing done have has having will would shall can could may might able possible
  allowed permitted what which how whether if there here to for of in on at by with about as via per than then so
  and or but any some yet ever just really actually basically exactly kindly maybe perhaps also too
  hi hello hey thanks thank cheers um uh er erm oh ok okay well anyway hmm guys folks
`);
// Words that ask for an answer without saying about what: paraphrases add and drop them freely.
const GENERIC = words(`
  tell know explain describe want wish wonder wondering curious like love help question ask asking information
  info detail details find learn understand say show let get got getting go going thing things way kind sort bit
  anything something please make makes made give currently now right
  offer offers offered available availability provide provides support supports supported accept accepts option options
  allow allows
`);
// Words that flip or narrow what is asked ("turn off", "check out", "all my orders", "before delivery"): a question
// that has one of them and a question that lacks it never share an answer, whatever the threshold.
export const STICKY = words(`
  off out down up back away over under again only all both either every each more less most least before after during
  within until since except instead alone together early late extra else other another same different first last next
`);
// Spellings and compounds that name one thing (British/American, joined/split); general English, not a domain list.
const SAME_WORD: Readonly<Record<string, string>> = {
  'e mail': 'email', 'log in': 'login', 'log on': 'login', 'sign in': 'login', 'signin': 'login', 'logon': 'login',
  'log out': 'logout', 'log off': 'logout', 'sign out': 'logout', 'signout': 'logout', 'sign up': 'signup',
  'check in': 'checkin', 'top up': 'topup', 'set up': 'setup', 'money back': 'refund', 'licence': 'license',
  'cheque': 'check', 'programme': 'program', 'tyre': 'tire', 'aluminium': 'aluminum', 'grey': 'gray',
  'cost': 'price', 'costs': 'price', 'pricing': 'price', 'purchase': 'buy', 'purchased': 'buy', 'bought': 'buy',
  'reserve': 'book', 'reserved': 'book', 'reservation': 'booking', 'reservations': 'booking', 'talk': 'speak',
  'check out': 'checkout', 'fly': 'flight', 'flies': 'flight', 'flying': 'flight', 'flew': 'flight', 'luggage': 'baggage',
  'tech': 'technology', 'parcel': 'package', 'begin': 'start', 'cellphone': 'phone', 'cell': 'phone', 'mobile': 'phone',
};
// Noun and verb of one act whose Porter2 stems differ (delivery/deliver, payment/pay, subscription/subscribe).
const SAME_STEM: Readonly<Record<string, string>> = { deliveri: 'deliv', payment: 'pay', subscrib: 'subscript', registr: 'regist' };
// Words whose stems collide with a word of another meaning (Porter2: savings/save, business/busy, checking/check).
const NO_STEM = words('savings checking business busy news international universal university');
const PHRASE_ASPECTS: Readonly<Record<string, string>> = { 'how come': 'why', 'what time': 'when', 'what date': 'when', 'what day': 'when' };
const OBLIGATION_PHRASES: ReadonlySet<string> = new Set(['have to', 'has to', 'had to', 'need to', 'needs to', 'needed to', 'got to', 'required to']);
const FIRST_PERSON = words('i me my mine myself we us our ours ourselves');
const SECOND_PERSON = words('you your yours yourself yourselves');
const QUESTION_AUXILIARIES = words('do does did will would shall should may might must can could');
const PRICE_VERBS = words('is are does do will would');
// Number words that are also pronouns or conjunctions ("which one", "once it ships", "wait a second").
const AMBIGUOUS_NUMBERS = words('one first second half once');

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, dozen: 12,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  once: 1, twice: 2, half: 0.5,
};
const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1000, million: 1_000_000, billion: 1_000_000_000 };

const CONTRACTIONS: Readonly<Record<string, string>> = {
  "can't": 'can not', 'cannot': 'can not', "won't": 'will not', "shan't": 'shall not', "ain't": 'is not', "let's": 'let us',
  'cant': 'can not', 'dont': 'do not', 'doesnt': 'does not', 'didnt': 'did not', 'isnt': 'is not', 'arent': 'are not',
  'wasnt': 'was not', 'werent': 'were not', 'havent': 'have not', 'hasnt': 'has not', 'hadnt': 'had not',
  'wont': 'will not', 'couldnt': 'could not', 'wouldnt': 'would not', 'shouldnt': 'should not', 'mustnt': 'must not',
  'gonna': 'going to', 'wanna': 'want to', 'gotta': 'got to', 'im': 'i am', 'ive': 'i have',
};
const SUFFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/n't$/, ' not'], [/'re$/, ' are'], [/'ve$/, ' have'], [/'ll$/, ' will'], [/'d$/, ' would'], [/'m$/, ' am'], [/'s$/, ''],
];

interface Token {
  readonly word: string;
  readonly named: boolean;
  readonly number?: number;
  /** Written with 's after a noun ("my wife's card"): the owner, not the one who acts ("can my wife use my card"). */
  readonly owner?: boolean;
}

/** Splits a question into lower-case words and numbers; marks words written as names. */
export function tokenize(question: string): Token[] {
  const text = question.normalize('NFKC').replace(/[\u2018\u2019\u02BC`\u00B4]/g, "'");
  // "5G" is "5 G" and "10GB" is "10 GB", so the number is compared as a number; "2nd" stays an ordinal.
  const spaced = text.replace(/(\p{N})(?!(?:st|nd|rd|th)\b)(\p{L})/gu, '$1 $2').replace(/(\p{L})(\p{N})/gu, '$1 $2');
  const raw = [...spaced.matchAll(/[\p{L}\p{N}]+(?:['.,][\p{L}\p{N}]+)*|[.?!;:]/gu)].map((m) => m[0]);
  const letters = raw.filter((w) => /^\p{L}/u.test(w) && w !== 'I');
  // In Title Case ("How Do I Cancel My Order") or SHOUTED text, capitals say nothing about names.
  const titleCase = letters.length >= 3 && letters.every((w) => /^\p{Lu}/u.test(w));
  const shouted = letters.some((w) => w.length > 1) && letters.every((w) => w === w.toUpperCase());
  const capsInformative = !titleCase && !shouted;
  const out: Token[] = [];
  let sentenceStart = true;
  for (const piece of raw) {
    if (/^[.?!;:]$/.test(piece)) { sentenceStart = true; continue; }
    const number = readNumber(piece);
    if (number !== undefined) { out.push({ word: piece, named: false, number }); sentenceStart = false; continue; }
    const mixed = /\p{Ll}\p{Lu}/u.test(piece);
    const capital = capsInformative && !sentenceStart && /^\p{Lu}/u.test(piece) && piece !== 'I';
    const lower = piece.toLowerCase();
    const expanded = CONTRACTIONS[lower] ?? SUFFIXES.reduce((w, [re, to]) => w.replace(re, to), lower);
    const base = lower.slice(0, -2);
    const owner = !CONTRACTIONS[lower] && lower.endsWith("'s") && !STOP.has(base) && !ASPECTS.has(base) && base !== 'let';
    for (const word of expanded.split(/[\s.,']+/).filter(Boolean)) out.push({ word, named: mixed || capital, ...(owner ? { owner } : {}) });
    sentenceStart = false;
  }
  return out;
}

/** '2', '2.5', '1,000', '2nd' -> the number; anything else -> undefined. */
function readNumber(piece: string): number | undefined {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:st|nd|rd|th)?$/i.exec(piece);
  return m ? Number(m[1].replace(/,/g, '') + (m[2] ?? '')) : undefined;
}

/** Analyses a question: terms with weights, meaning features and signature. English only. */
export function analyseQuestion(question: string): AnalysedQuestion {
  const tokens = joinNumberWords(tokenize(question));
  const terms = new Map<string, QuestionTerm>();
  const numbers: string[] = [];
  const aspects = new Set<string>();
  let negated = false;
  let obligation = false;
  let past = false;
  let fromPending = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.number !== undefined) { numbers.push(String(token.number)); continue; }
    const pair = i + 1 < tokens.length ? `${token.word} ${tokens[i + 1].word}` : '';
    if (PHRASE_ASPECTS[pair]) { aspects.add(PHRASE_ASPECTS[pair]); i++; continue; }
    if (token.word === 'how' && i + 1 < tokens.length && HOW_ASPECTS.has(tokens[i + 1].word)) {
      const next = tokens[i + 1].word;
      i++;
      // "how much is shipping", "how much does it cost": the price ("what does shipping cost").
      if (next === 'much' && PRICE_VERBS.has(tokens[i + 1]?.word ?? '')) { terms.set('price', { term: 'price', weight: CONTENT_WEIGHT, named: false, word: 'how much' }); continue; }
      // "how many bags" and "how much baggage" ask one thing, and so do "how soon" and "when".
      aspects.add(next === 'many' ? 'how much' : next === 'soon' ? 'when' : `how ${next}`);
      continue;
    }
    if (isStatedNeed(tokens, i)) { if (pair === 'need to' || pair === 'have to') i++; continue; }
    if (OBLIGATION_PHRASES.has(pair)) { obligation = true; i++; continue; }
    let word = token.word;
    if (SAME_WORD[pair]) { word = SAME_WORD[pair]; i++; } else if (SAME_WORD[word]) word = SAME_WORD[word];
    if (word === 'from') { fromPending = true; continue; }
    if (NEGATIONS.has(word)) { negated = true; continue; }
    if (ASPECTS.has(word)) { aspects.add(word); continue; }
    if (OBLIGATIONS.has(word)) { if (!asksAdvice(tokens, i)) obligation = true; continue; }
    if (PAST.has(word)) { if (asksAboutThePast(tokens, i)) past = true; continue; }
    if (STOP.has(word)) continue;
    const generic = GENERIC.has(word);
    const stemmed = NO_STEM.has(word) ? word : stem(spellAmerican(word));
    let term = SAME_STEM[stemmed] ?? stemmed;
    if (fromPending && !generic) { term = `from:${term}`; word = `from ${word}`; fromPending = false; }
    if (token.owner) { term = `of:${term}`; word = `${word}'s`; }
    const weight = generic && !token.named ? GENERIC_WEIGHT : CONTENT_WEIGHT;
    const known = terms.get(term);
    if (!known || weight > known.weight) terms.set(term, { term, weight, named: token.named || (known?.named ?? false), word });
  }
  numbers.sort();
  const analysed = { terms, negated, numbers, aspects: [...aspects].sort(), obligation, past, perspective: perspectiveOf(tokens) };
  const totalWeight = [...terms.values()].reduce((sum, t) => sum + t.weight, 0);
  return { ...analysed, totalWeight, signature: signatureOf(analysed, tokens) };
}

/**
 * "I need a room", "I have to change my flight": a request, said as a need. "Do I need a visa", "must I", "is it
 * required" ask whether something is required, which is a different question (see `obligation`).
 */
function isStatedNeed(tokens: readonly Token[], i: number): boolean {
  const word = tokens[i].word;
  const asNeed = word === 'need' || word === 'needs' || (word === 'have' && tokens[i + 1]?.word === 'to');
  if (!asNeed || i === 0 || !['i', 'we'].includes(tokens[i - 1].word)) return false;
  return i < 2 || !QUESTION_AUXILIARIES.has(tokens[i - 2].word);
}

/** "what should I do", "when should I expect it": advice or expectation, not whether something is required. */
function asksAdvice(tokens: readonly Token[], i: number): boolean {
  const [who, verb] = [tokens[i + 1]?.word, tokens[i + 2]?.word];
  return ['i', 'we', 'you'].includes(who ?? '') && ['do', 'expect'].includes(verb ?? '');
}

/**
 * "Did you charge me", "why was I charged": a question about something that happened, asked with the auxiliary
 * first (or after a question word). In a statement ("my card was stolen") the tense says nothing the present would not.
 */
function asksAboutThePast(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1]?.word;
  return before === undefined || ASPECTS.has(before) || before === 'how' || before === 'what' || before === 'which';
}

/** 'you>me' when "you" comes before "I/me/my" in a question that has both, 'me>you' for the reverse. */
function perspectiveOf(tokens: readonly Token[]): 'you>me' | 'me>you' | undefined {
  const first = tokens.findIndex((t) => FIRST_PERSON.has(t.word));
  const second = tokens.findIndex((t) => SECOND_PERSON.has(t.word));
  if (first < 0 || second < 0) return undefined;
  return second < first ? 'you>me' : 'me>you';
}

/** British spellings to American before stemming ("colour" -> "color", "organise" -> "organize", "centre" -> "center"). */
function spellAmerican(word: string): string {
  return word
    .replace(/^(\p{L}{3,})our(s|ed|ing|ite|ites|able|ful)?$/u, '$1or$2')
    .replace(/^(\p{L}{3,})is(e|ed|es|ing|ation|ations)$/u, '$1iz$2')
    .replace(/^(\p{L}{3,})tre(s)?$/u, '$1ter$2');
}

/** "twenty five" -> 25, "one hundred and five" -> 105, "a dozen" -> 12. */
function joinNumberWords(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const start = i;
    let total = 0;
    let current = 0;
    let seen = false;
    while (i < tokens.length) {
      const w = tokens[i].word;
      if (tokens[i].number !== undefined && !seen) { current = tokens[i].number!; seen = true; i++; continue; }
      if (UNITS[w] !== undefined && !(AMBIGUOUS_NUMBERS.has(w) && !seen && !beforeContentWord(tokens, i))) { current += UNITS[w]; seen = true; i++; continue; }
      if (SCALES[w] !== undefined && seen) { current = (current || 1) * SCALES[w]; if (SCALES[w] >= 1000) { total += current; current = 0; } i++; continue; }
      if (w === 'and' && seen && i + 1 < tokens.length && UNITS[tokens[i + 1].word] !== undefined) { i++; continue; }
      break;
    }
    if (seen) out.push({ word: tokens.slice(start, i).map((t) => t.word).join(' '), named: false, number: total + current });
    else { out.push(tokens[i]); i++; }
  }
  return out;
}

/** "one seat", "first order": a number; "which one", "one of", "once it ships": not (the next word says which). */
function beforeContentWord(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  return next !== undefined && next.number === undefined && !STOP.has(next.word) && !GENERIC.has(next.word);
}

function signatureOf(a: Omit<AnalysedQuestion, 'signature' | 'totalWeight'>, tokens: readonly Token[]): string {
  const parts = [
    ...(a.negated ? ['!not'] : []),
    ...a.numbers.map((n) => `#${n}`),
    ...a.aspects.map((s) => `?${s.replace(' ', '-')}`),
    ...(a.obligation ? ['~must'] : []),
    ...(a.past ? ['@past'] : []),
    ...(a.perspective ? [`@${a.perspective}`] : []),
    ...[...a.terms.keys()].sort(),
  ];
  // A question of function words only ("what?", "how?") keeps its words, so it is exact only against itself.
  const body = parts.length > 0 ? parts.join(' ') : `=${tokens.map((t) => t.word).join('_')}`;
  const signature = `${SIGNATURE_VERSION}:${body}`;
  if (signature.length <= MAX_SIGNATURE_LENGTH) return signature;
  const hash = createHash('sha256').update(signature).digest('hex').slice(0, 16);
  return `${signature.slice(0, MAX_SIGNATURE_LENGTH - 18)}~${hash}`;
}
