// Offline intent matching for the interactive mode: the bot's sample utterances, compared word by word. Lex's NLU
// is far better; this is enough to drive the bot's handlers without AWS, and the simulation says so.
import type { IntentDefinition } from '../lib/bot-definition';

export interface IntentMatch {
  readonly intent: string;
  /** 0..1: the share of the best utterance's words found in what was typed. */
  readonly score: number;
}

const words = (text: string): string[] => text.toLowerCase().replace(/[^a-z0-9+ ]/g, ' ').split(/\s+/).filter(Boolean);

/** The intent whose sample utterance shares the most words with `utterance`, or FallbackIntent below `threshold`. */
export function matchIntent(utterance: string, intents: readonly IntentDefinition[], threshold = 0.5): IntentMatch {
  const said = new Set(words(utterance));
  let best: IntentMatch = { intent: 'FallbackIntent', score: 0 };
  for (const intent of intents) {
    for (const sample of intent.utterances) {
      const sampleWords = words(sample);
      if (sampleWords.length === 0) continue;
      const shared = sampleWords.filter((w) => said.has(w)).length;
      // Both directions count, so "hi" does not match "hi there is a problem with my bill" too eagerly.
      const score = Math.min(shared / sampleWords.length, shared / Math.max(said.size, 1) + 0.5);
      if (score > best.score) best = { intent: intent.name, score };
    }
  }
  return best.score >= threshold ? best : { intent: 'FallbackIntent', score: best.score };
}
