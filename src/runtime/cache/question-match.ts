// PLACEHOLDER until feat/matcher lands: exact signatures only (the matcher branch replaces this file).
export interface QuestionMatchSettings { readonly threshold?: number }
export const DEFAULT_NEAR_MATCH_THRESHOLD = 0.9;
export interface QuestionMatch { readonly reuse: boolean; readonly exact: boolean; readonly score: number; readonly reason: string }
export function questionSignature(question: string): string {
  return 'q0:' + question.toLowerCase().replace(/[^\p{L}\p{N}' ]+/gu, ' ').trim().split(/\s+/).join(' ');
}
export function matchQuestions(answered: string, asked: string, _settings?: QuestionMatchSettings): QuestionMatch {
  const exact = questionSignature(answered) === questionSignature(asked);
  return { reuse: exact, exact, score: exact ? 1 : 0, reason: exact ? 'same signature' : 'below threshold' };
}
export interface AnsweredQuestion { readonly question: string; readonly key: string; readonly answeredAt: number }
export class QuestionIndex {
  private readonly entries = new Map<string, AnsweredQuestion>();
  constructor(private readonly options: { readonly maxQuestions?: number; readonly maxAgeMs?: number; readonly clock?: () => number } = {}) {}
  add(entry: AnsweredQuestion): void {
    this.entries.delete(questionSignature(entry.question));
    this.entries.set(questionSignature(entry.question), entry);
    while (this.entries.size > (this.options.maxQuestions ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
  }
  remove(key: string): void {
    for (const [sig, e] of this.entries) if (e.key === key) this.entries.delete(sig);
  }
  nearest(asked: string, settings?: QuestionMatchSettings): { readonly entry: AnsweredQuestion; readonly match: QuestionMatch } | undefined {
    const now = (this.options.clock ?? Date.now)();
    for (const entry of this.entries.values()) {
      if (this.options.maxAgeMs !== undefined && entry.answeredAt + this.options.maxAgeMs <= now) continue;
      const match = matchQuestions(entry.question, asked, settings);
      if (match.reuse) return { entry, match };
    }
    return undefined;
  }
  get size(): number { return this.entries.size; }
}
