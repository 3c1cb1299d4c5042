// Loads the project's question corpus (questions.json beside this file) and lists its pairs: every two wordings of
// one paraphrase group, and every hard negative, split into training and held-out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionMatchSettings } from '../../src/runtime/cache/question-match';

export interface QuestionGroup { readonly id: string; readonly heldOut: boolean; readonly questions: readonly string[] }
export interface QuestionDomain { readonly name: string; readonly intent: string; readonly settings?: QuestionMatchSettings; readonly groups: readonly QuestionGroup[] }
export interface HardNegative { readonly a: string; readonly b: string; readonly differs: string; readonly heldOut: boolean }
export interface QuestionCorpus { readonly domains: readonly QuestionDomain[]; readonly hardNegatives: readonly HardNegative[] }

/** A pair of questions; `same` says whether they must share an answer. */
export interface QuestionPair {
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
  readonly heldOut: boolean;
  readonly domain: string;
  readonly label: string;
  /** The settings of the intent the pair's first question lands in. */
  readonly settings?: QuestionMatchSettings;
}

export function loadQuestionCorpus(): QuestionCorpus {
  return JSON.parse(readFileSync(join(__dirname, 'questions.json'), 'utf8')) as QuestionCorpus;
}

/** Every unordered pair of wordings within each paraphrase group. */
export function paraphrasePairs(corpus: QuestionCorpus): QuestionPair[] {
  const pairs: QuestionPair[] = [];
  for (const domain of corpus.domains) {
    for (const group of domain.groups) {
      const qs = group.questions;
      for (let i = 0; i < qs.length; i++) {
        for (let j = i + 1; j < qs.length; j++) pairs.push({ a: qs[i], b: qs[j], same: true, heldOut: group.heldOut, domain: domain.name, label: group.id, settings: domain.settings });
      }
    }
  }
  return pairs;
}

/** The hard negatives as pairs (in the domain, and with the settings, of their first question). */
export function hardNegativePairs(corpus: QuestionCorpus): QuestionPair[] {
  const domainOf = new Map<string, QuestionDomain>();
  for (const d of corpus.domains) for (const g of d.groups) for (const q of g.questions) domainOf.set(q, d);
  return corpus.hardNegatives.map((n) => {
    const domain = domainOf.get(n.a);
    return { a: n.a, b: n.b, same: false, heldOut: n.heldOut, domain: domain?.name ?? '?', label: n.differs, settings: domain?.settings };
  });
}
