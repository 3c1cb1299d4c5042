// A bounded record of the conversation's last intents, kept in a session attribute. It holds intent names only:
// session attributes go back to every client (a web chat's browser included) and into Lex conversation logs, so no
// utterance, answer, name or phone number is ever written there.

/** The session attribute that holds the history, as JSON. */
export const HISTORY_ATTRIBUTE = 'fastLexHistory';

/** One turn, as kept. */
export interface HistoryTurn {
  /** Intent name. */
  readonly i: string;
}

/**
 * One turn, as offered. `u` (what the user said) and `b` (what the bot answered) are accepted for compatibility and
 * never stored: nothing answers from them, and they may hold personal data.
 */
export interface HistoryTurnInput extends HistoryTurn {
  readonly u?: string;
  readonly b?: string;
}

export interface HistoryLimits {
  /** @deprecated Ignored: no text is kept, only intent names. */
  readonly maxChars?: number;
  /** Turns kept. @default 6 */
  readonly maxTurns?: number;
  /** Upper bound of the attribute's JSON size, in bytes; older turns go first. @default 512 */
  readonly maxBytes?: number;
}

/** Reads the history; a missing or corrupt attribute is an empty history, never an error. */
export function readHistory(attributes: Record<string, string>): HistoryTurn[] {
  const raw = attributes[HISTORY_ATTRIBUTE];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    // Only the intent name survives, also from a history an older version wrote with utterances in it.
    return Array.isArray(parsed) ? parsed.filter((t) => t && typeof t.i === 'string').map((t) => ({ i: t.i })) : [];
  } catch {
    return [];
  }
}

/** Returns new session attributes with the turn's intent appended and the history trimmed to the limits. */
export function appendHistory(attributes: Record<string, string>, turn: HistoryTurnInput, limits: HistoryLimits = {}): Record<string, string> {
  const maxBytes = limits.maxBytes ?? 512;
  const turns = [...readHistory(attributes), { i: turn.i }].slice(-(limits.maxTurns ?? 6));
  let json = JSON.stringify(turns);
  while (turns.length > 1 && Buffer.byteLength(json) > maxBytes) {
    turns.shift();
    json = JSON.stringify(turns);
  }
  return { ...attributes, [HISTORY_ATTRIBUTE]: json };
}
