// The deadline of one Lex turn: every call on the turn path (L2 read, lease write, SendMessage, call-context read,
// StartExecution) runs inside it, so a hung or throttled dependency costs the caller the budget, never the Lambda.
import { DEFAULT_TURN_BUDGET_MS, TURN_RESERVE_MS } from '../../shared/fault-tolerance';
import { FastLexError } from '../../shared/errors';

/** A call on the turn path did not finish inside the turn's budget. */
export class TurnBudgetExceededError extends FastLexError {
  override readonly name: string = 'TurnBudgetExceededError';
  constructor(public readonly operation: string, public readonly budgetMs: number, options?: { cause?: unknown }) {
    super(`${operation} did not finish inside the turn budget of ${budgetMs} ms.`, options);
  }
}

/** The part of the budget one call may spend at most. */
export const DEFAULT_CALL_SHARE = 0.4;

/** The deadline of one turn. */
export class TurnBudget {
  /**
   * The budget of a turn: the smaller of `capMs` and the Lambda's remaining time less `TURN_RESERVE_MS`.
   * @param remainingMs the Lambda's `getRemainingTimeInMillis()`, if known
   */
  static forTurn(capMs = DEFAULT_TURN_BUDGET_MS, remainingMs?: number, clock: () => number = performance.now.bind(performance)): TurnBudget {
    const fromLambda = remainingMs === undefined ? Infinity : Math.max(0, remainingMs - TURN_RESERVE_MS);
    return new TurnBudget(Math.min(capMs, fromLambda), clock);
  }

  /** A budget that never runs out (callers who give none: tests, scripts). */
  static unbounded(): TurnBudget {
    return new TurnBudget(Infinity);
  }

  private readonly deadline: number;
  private readonly controller = new AbortController();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(readonly budgetMs: number, private readonly clock: () => number = performance.now.bind(performance)) {
    this.deadline = clock() + budgetMs;
    if (Number.isFinite(budgetMs)) {
      this.timer = setTimeout(() => this.controller.abort(new TurnBudgetExceededError('the turn', budgetMs)), Math.max(0, budgetMs));
      this.timer.unref?.();
    }
  }

  /** Milliseconds left. */
  remainingMs(): number {
    return Math.max(0, this.deadline - this.clock());
  }

  /** True once the budget is spent. */
  get expired(): boolean {
    return this.controller.signal.aborted || this.remainingMs() <= 0;
  }

  /** Aborts when the budget is spent: hand it to `client.send(command, { abortSignal })`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Runs `call` with a signal that aborts at the turn's deadline or after `share` of the whole budget, whichever comes
   * first, and settles by then at the latest: if the call has not finished it rejects with `TurnBudgetExceededError`,
   * whatever the client does with the abort. The share keeps one hung call from spending what the next one needs (a
   * miss makes up to three: the L2 read, the lease, SendMessage), so a caller hears the fallback sooner.
   */
  async run<T>(operation: string, call: (signal: AbortSignal) => Promise<T>, share = DEFAULT_CALL_SHARE): Promise<T> {
    if (this.expired) throw new TurnBudgetExceededError(operation, this.budgetMs);
    if (!Number.isFinite(this.budgetMs)) return call(this.signal);
    // Whole milliseconds: AbortSignal.timeout refuses a fraction, and a budget's remaining time is one.
    const capMs = Math.max(1, Math.ceil(Math.min(this.remainingMs(), this.budgetMs * share)));
    const signal = AbortSignal.any([this.signal, AbortSignal.timeout(capMs)]);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new TurnBudgetExceededError(operation, this.budgetMs, { cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
      call(signal).then(resolve, (err) => reject(signal.aborted ? new TurnBudgetExceededError(operation, this.budgetMs, { cause: err }) : err))
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Stops the timer (call when the turn has answered). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
