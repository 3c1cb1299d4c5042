// A bounded conversation history kept in a session attribute .

/** The session attribute that holds the history, as JSON. */
export const HISTORY_ATTRIBUTE = 'fastLexHistory';

/** One exchange. */
export interface HistoryTurn {
  /** Intent name. */
  readonly i: string;
  /** What the user said, truncated. */
  readonly u: string;
  /** What the bot answered, truncated. */
  readonly b: string;
}

export interface HistoryLimits {
  /** Turns kept. @default 6 */
  readonly maxTurns?: number;
  /** Characters kept of each utterance and answer. @default 200 */
  readonly maxChars?: number;
  /** Upper bound of the attribute's JSON size, in bytes; older turns go first. @default 2048 */
  readonly maxBytes?: number;
}

/** Reads the history; a missing or corrupt attribute is an empty history, never an error. */
export function readHistory(attributes: Record<string, string>): HistoryTurn[] {
  const raw = attributes[HISTORY_ATTRIBUTE];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((t) => t && typeof t.u === 'string' && typeof t.b === 'string') : [];
  } catch {
    return [];
  }
}

/** Returns new session attributes with the turn appended and the history trimmed to the limits. */
export function appendHistory(attributes: Record<string, string>, turn: HistoryTurn, limits: HistoryLimits = {}): Record<string, string> {
  const maxChars = limits.maxChars ?? 200;
  const maxBytes = limits.maxBytes ?? 2048;
  const turns = [...readHistory(attributes), { i: turn.i, u: turn.u.slice(0, maxChars), b: turn.b.slice(0, maxChars) }]
    .slice(-(limits.maxTurns ?? 6));
  let json = JSON.stringify(turns);
  while (turns.length > 1 && Buffer.byteLength(json) > maxBytes) {
    turns.shift();
    json = JSON.stringify(turns);
  }
  return { ...attributes, [HISTORY_ATTRIBUTE]: json };
}
