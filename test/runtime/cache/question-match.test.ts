// Tests of the question matcher: pairwise decisions, signatures, the bounded index, and the project's corpus.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NEAR_MATCH_THRESHOLD,
  QuestionIndex,
  QuestionMatchSettingsError,
  matchQuestions,
  questionSignature,
  type QuestionMatchSettings,
} from '../../../src/runtime/cache';
import { hardNegativePairs, loadQuestionCorpus, paraphrasePairs, type QuestionPair } from '../../corpus/questions';

describe('matchQuestions', () => {
  it.each([
    ['cancel my order', 'cancel my subscription', 'different words: order / subscription'],
    ['Can I get a refund?', 'Can I get a receipt?', 'different words: refund / receipt'],
    ['Can I pay by card?', "Can't I pay by card?", 'negation differs'],
    ['Can I book 2 seats?', 'Can I book 20 seats?', 'numbers differ: 2 / 20'],
    ['Do you integrate with Salesforce?', 'Do you integrate with HubSpot?', 'different words: salesforce / hubspot'],
    ['When will my order arrive?', 'Where will my order arrive?', 'question word differs: when / where'],
    ['How do I turn on roaming?', 'How do I turn off roaming?', 'word only in one: off'],
    ['Do I need a credit card to book?', 'Can I book with a credit card?', 'obligation differs (must / need to / should)'],
    ['Did you charge my card?', 'Do you charge my card?', 'tense differs (past / present)'],
    ['Do you use ChatGPT?', 'Do you use OpenAI ChatGPT?', 'named thing only in one: openai'],
  ])('never reuses the answer to %j for %j (%s)', (answered, asked, reason) => {
    const match = matchQuestions(answered, asked);

    expect(match).toMatchObject({ reuse: false, exact: false, reason });
    expect(matchQuestions(asked, answered).reuse).toBe(false);
  });

  // Pairs the corpus does not hold, written against the rules rather than tuned on: each must stay apart.
  it.each([
    ['How do I reset my password?', 'How do I change my password?'],
    ['Can I check in early?', 'Can I check in?'],
    ['Do you ship to Canada?', 'Do you ship from Canada?'],
    ['Can I get a refund after 14 days?', 'Can I get a refund within 14 days?'],
    ['Who is my account manager?', 'What is my account manager?'],
    ['Can I use my card in Japan?', 'Can I use my card in Japan without fees?'],
    ['Should I update the app?', 'Can I update the app?'],
    ['Can I pay with both cards?', 'Can I pay with the cards?'],
    ['What happens if I cancel my order?', 'Can I cancel my order?'],
    ['Was my payment received?', 'Will my payment be received?'],
    ['Can my wife use my card?', "Can I use my wife's card?"],
    ['Can I call you?', 'Can you call me?'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(matchQuestions(a, b).reuse).toBe(false);
  });

  it('takes transfers from savings and from checking as different questions', () => {
    const match = matchQuestions('How do I move money from savings to checking?', 'How do I move money from checking to savings?');

    expect(match.reuse).toBe(false);
    expect(match.reason).toMatch(/^different words: from savings/);
  });

  it.each([
    ['How do you use Lex?', 'How is Lex used by you?'],
    ['What technology do you use?', 'Which technologies do you use?'],
    ['Can I book two seats?', 'can i book 2 seats'],
    ["What's the colour of the box?", 'What is the color of the box'],
    ['How do I log in?', 'how do i sign in'],
  ])('serves the answer to %j for %j as an exact hit', (answered, asked) => {
    expect(matchQuestions(answered, asked)).toEqual({ reuse: true, exact: true, score: 1, reason: 'same signature' });
  });

  it('reuses across generic words as a near hit, with the score it compared', () => {
    const match = matchQuestions('Where is my order?', 'I want to know where my order is');

    expect(match).toEqual({ reuse: true, exact: false, score: 0.91, reason: `near match 0.91 >= ${DEFAULT_NEAR_MATCH_THRESHOLD}` });
  });

  it('takes a content word added to a question as narrowing it, unless a lower threshold says otherwise', () => {
    expect(matchQuestions('What is the price of the premium plan?', 'What is the price of the premium plan for students?')).toEqual({
      reuse: false, exact: false, score: 0.86, reason: `below threshold 0.86 < ${DEFAULT_NEAR_MATCH_THRESHOLD} (only in one: students)`,
    });
    expect(matchQuestions('Can I cancel my hotel booking?', 'Can I cancel my hotel booking online?', { threshold: 0.85 })).toMatchObject({ reuse: true, score: 0.86 });
    expect(matchQuestions('How do I reset my password?', 'How do I reset my voicemail password?', { threshold: 0.85 }).reuse).toBe(false);
  });

  it('tells who acts on whom apart when both questions name both sides', () => {
    expect(matchQuestions('Can I call you?', 'Can you call me?')).toMatchObject({ reuse: false, reason: 'who acts differs: me>you / you>me' });
    expect(questionSignature('Can I call you?')).not.toBe(questionSignature('Can you call me?'));
    expect(matchQuestions('Where is my order?', 'Can you tell me where my order is?').reuse).toBe(true);
  });

  it('behaves as its documented example says', () => {
    expect(matchQuestions('Can I pay by card?', "Can't I pay by card?")).toEqual({ reuse: false, exact: false, score: 0, reason: 'negation differs' });
    expect(matchQuestions('Can you tell me your pricing?', 'What is your pricing', { threshold: 0.99 })).toEqual({
      reuse: false, exact: false, score: 0.95, reason: 'below threshold 0.95 < 0.99',
    });
  });

  it('reuses exact signatures only at threshold 1', () => {
    expect(matchQuestions('Where is my order?', 'I want to know where my order is', { threshold: 1 }).reuse).toBe(false);
    expect(matchQuestions('Where is my order?', 'where is my order', { threshold: 1 }).reuse).toBe(true);
  });

  it("ignores the intent's ignoredWords in a near match, never in the signature", () => {
    const settings: QuestionMatchSettings = { ignoredWords: ['Atlas Engine'] };

    expect(matchQuestions('How do you use Lex?', 'How does Atlas Engine use Lex?').reason).toBe('named thing only in one: atlas, engine');
    expect(matchQuestions('How do you use Lex?', 'How does Atlas Engine use Lex?', settings)).toEqual({
      reuse: true, exact: false, score: 1, reason: `near match 1.00 >= ${DEFAULT_NEAR_MATCH_THRESHOLD}`,
    });
    expect(matchQuestions('Do you integrate with Salesforce?', 'Does Atlas integrate with HubSpot?', settings).reuse).toBe(false);
  });

  it.each([[0], [-0.5], [1.5], [Number.NaN]])('refuses threshold %s, naming the setting and the range', (threshold) => {
    expect(() => matchQuestions('a', 'b', { threshold })).toThrow(QuestionMatchSettingsError);
    expect(() => matchQuestions('a', 'b', { threshold })).toThrow("Question match setting 'threshold' must be a number above 0 and at most 1");
  });
});

describe('questionSignature', () => {
  it('starts with its version', () => {
    expect(questionSignature('Can I pay by card?')).toBe('q1:card pay');
  });

  it.each([
    ['Can I pay by card?', 'CAN I PAY BY CARD'],
    ['Can I pay by card?', '  can   i pay,  by card ?!'],
    ['Can I pay by card?', 'Hi, um, so can I pay by card?'],
    ["What's your refund policy?", 'What is your refund policy'],
    ["I can't log in", 'I cannot log in'],
    ["I can't log in", 'I can not log in'],
    ["Why doesn't it work?", 'Why does it not work?'],
    ['How do you use Lex?', 'How is Lex used by you?'],
    ['Can I book two seats?', 'Can I book 2 seats?'],
    ['Can I withdraw $2,000 a day?', 'Can I withdraw 2000 a day'],
    ['Is there a room for twenty five people?', 'Is there a room for 25 people?'],
  ])('is the same for %j and %j', (a, b) => {
    expect(questionSignature(a)).toBe(questionSignature(b));
  });

  it.each([
    ['Can I pay by card?', "Can't I pay by card?"],
    ['Can I book 2 seats?', 'Can I book 20 seats?'],
    ['Do you support 5G?', 'Do you support 4G?'],
    ['Do you integrate with Salesforce?', 'Do you integrate with HubSpot?'],
    ['When does my card arrive?', 'Where does my card arrive?'],
    ['Can I bring ID?', 'Must I bring ID?'],
    ['Can I return an opened item?', 'Can I return an unopened item?'],
  ])('differs for %j and %j', (a, b) => {
    expect(questionSignature(a)).not.toBe(questionSignature(b));
  });

  it('keeps a question of function words only to itself', () => {
    expect(questionSignature('What?')).not.toBe(questionSignature('How?'));
    expect(matchQuestions('What?', 'How?').reuse).toBe(false);
  });

  it('bounds a long question with a hash of the whole, so two long questions still differ', () => {
    const long = (n: number) => `Tell me about ${Array.from({ length: 120 }, (_, i) => `topic${String.fromCharCode(97 + (i % 26))}${i}`).join(' ')} and order ${n}`;

    expect(questionSignature(long(1)).length).toBeLessThanOrEqual(400);
    expect(questionSignature(long(1))).toBe(questionSignature(long(1)));
    expect(questionSignature(long(1))).not.toBe(questionSignature(long(2)));
  });
});

describe('QuestionIndex', () => {
  const entry = (question: string, key: string, answeredAt = 0) => ({ question, key, answeredAt });

  it('finds an exact hit, and a near hit with its score', () => {
    const index = new QuestionIndex();
    index.add(entry('Where is my order?', 'k-where'));
    index.add(entry('Can I get a refund?', 'k-refund'));

    expect(index.nearest('where is my order')).toMatchObject({ entry: { key: 'k-where' }, match: { exact: true, reuse: true } });
    expect(index.nearest('I want to know where my order is')).toMatchObject({ entry: { key: 'k-where' }, match: { exact: false, score: 0.91 } });
    expect(index.nearest('Can I get a receipt?')).toBeUndefined();
  });

  it('replaces an entry of the same signature', () => {
    const index = new QuestionIndex();
    index.add(entry('Can I pay by card?', 'k1', 1));
    index.add(entry('can i pay by card', 'k2', 2));

    expect(index.size).toBe(1);
    expect(index.nearest('Can I pay by card')?.entry.key).toBe('k2');
  });

  it('drops the question answered longest ago beyond maxQuestions, whatever the order they were added in', () => {
    const index = new QuestionIndex({ maxQuestions: 2 });
    index.add(entry('Do you ship to Canada?', 'canada', 20));
    index.add(entry('Do you ship to Mexico?', 'mexico', 10));
    index.add(entry('Do you ship to Peru?', 'peru', 30));

    expect(index.size).toBe(2);
    expect(index.nearest('Do you ship to Mexico?')).toBeUndefined();
    expect(index.nearest('Do you ship to Canada?')?.entry.key).toBe('canada');
    expect(index.nearest('Do you ship to Peru?')?.entry.key).toBe('peru');
  });

  it('forgets questions older than maxAgeMs, and does not take one already too old', () => {
    let now = 1_000_000;
    const index = new QuestionIndex({ maxAgeMs: 60_000, clock: () => now });
    index.add(entry('Do you ship to Canada?', 'canada', now));
    index.add(entry('Do you ship to Peru?', 'peru', now - 61_000));

    expect(index.size).toBe(1);
    now += 60_001;
    expect(index.nearest('Do you ship to Canada?')).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('removes by key', () => {
    const index = new QuestionIndex();
    index.add(entry('Do you ship to Canada?', 'canada'));
    index.remove('canada');

    expect(index.size).toBe(0);
    expect(index.nearest('Do you ship to Canada?')).toBeUndefined();
  });

  it('refuses bounds that hold nothing', () => {
    expect(() => new QuestionIndex({ maxQuestions: 0 })).toThrow("Question match setting 'maxQuestions' must be a whole number of at least 1");
    expect(() => new QuestionIndex({ maxAgeMs: 0 })).toThrow(QuestionMatchSettingsError);
  });

  it('agrees with matchQuestions on every corpus question, whatever else it holds', () => {
    const corpus = loadQuestionCorpus();
    for (const domain of corpus.domains) {
      const index = new QuestionIndex();
      const answered = domain.groups.map((g, i) => entry(g.questions[0], `${g.id}`, i));
      for (const e of answered) index.add(e);
      for (const asked of domain.groups.flatMap((g) => g.questions.slice(1))) {
        const found = index.nearest(asked, domain.settings);
        const reusable = answered
          .map((e) => ({ e, match: matchQuestions(e.question, asked, domain.settings) }))
          .filter((x) => x.match.reuse);
        if (reusable.length === 0) {
          expect(found, asked).toBeUndefined();
          continue;
        }
        expect(found, asked).toBeDefined();
        expect(found!.match).toEqual(matchQuestions(found!.entry.question, asked, domain.settings));
        expect(found!.match.score).toBe(Math.max(...reusable.map((x) => x.match.score)));
      }
    }
  });
});

describe('the question corpus', () => {
  const corpus = loadQuestionCorpus();
  const paraphrases = paraphrasePairs(corpus);
  const negatives = hardNegativePairs(corpus);
  const reused = (p: QuestionPair) => matchQuestions(p.a, p.b, p.settings).reuse;
  const recall = (pairs: QuestionPair[]) => pairs.filter(reused).length / pairs.length;

  it('holds at least 450 questions in 6 domains and 150 hard negatives, each side in a different group', () => {
    const groupOf = new Map<string, string>();
    for (const d of corpus.domains) for (const g of d.groups) for (const q of g.questions) {
      expect(groupOf.has(q), `duplicate question ${q}`).toBe(false);
      groupOf.set(q, `${d.name}/${g.id}`);
    }
    expect(groupOf.size).toBeGreaterThanOrEqual(450);
    expect(corpus.domains.length).toBeGreaterThanOrEqual(6);
    expect(corpus.domains.every((d) => d.intent.length > 0)).toBe(true);
    expect(corpus.domains.flatMap((d) => d.groups).every((g) => g.questions.length >= 3 && g.questions.length <= 8)).toBe(true);
    expect(corpus.hardNegatives.length).toBeGreaterThanOrEqual(150);
    for (const n of corpus.hardNegatives) {
      expect(groupOf.get(n.a), n.a).toBeDefined();
      expect(groupOf.get(n.b), n.b).toBeDefined();
      expect(groupOf.get(n.a)).not.toBe(groupOf.get(n.b));
    }
  });

  it('holds out about 30% of the groups and of the hard negatives', () => {
    const groups = corpus.domains.flatMap((d) => d.groups);
    const share = (xs: readonly { heldOut: boolean }[]) => xs.filter((x) => x.heldOut).length / xs.length;

    expect(share(groups)).toBeGreaterThan(0.2);
    expect(share(groups)).toBeLessThan(0.4);
    expect(share(corpus.hardNegatives)).toBeGreaterThan(0.2);
    expect(share(corpus.hardNegatives)).toBeLessThan(0.4);
  });

  it.each([false, true])('reuses no answer across a hard negative (held out: %s)', (heldOut) => {
    const wrong = negatives.filter((p) => p.heldOut === heldOut && reused(p)).map((p) => `${p.a} | ${p.b}`);

    expect(wrong).toEqual([]);
  });

  // Floors a little under what the matcher measures (training 25.1%, held out 14.8%: see bench:questions): a lexical
  // matcher that never reuses wrongly misses paraphrases that share few words ("where's my package" / "where is my order").
  it('finds at least 23% of the training paraphrase pairs and 12% of the held-out ones', () => {
    expect(recall(paraphrases.filter((p) => !p.heldOut))).toBeGreaterThanOrEqual(0.23);
    expect(recall(paraphrases.filter((p) => p.heldOut))).toBeGreaterThanOrEqual(0.12);
  });
});
