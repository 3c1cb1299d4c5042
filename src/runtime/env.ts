// Reads the handlers' settings from environment variables, refusing a missing or malformed one by name.
import { ConfigurationError } from '../shared/errors';

/** Environment variables as a plain record (`process.env` in a Lambda). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A variable that must be set (and not blank), or `ConfigurationError` naming it; `what` says what it holds. */
export function requiredEnv(env: Environment, name: string, what?: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigurationError(name, what ? `is not set (${what})` : 'is not set');
  return value;
}

/** An optional variable; blank counts as unset. */
export function optionalEnv(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Bounds of a numeric variable. */
export interface NumberEnvOptions {
  /** The value when the variable is unset. */
  readonly fallback: number;
  /** The smallest value accepted. @default 0 */
  readonly min?: number;
  /** Only whole numbers. @default false */
  readonly integer?: boolean;
}

/** A number of at least `min` (whole when `integer`), the fallback when unset, or `ConfigurationError` naming it. */
export function numberEnv(env: Environment, name: string, options: NumberEnvOptions): number {
  const raw = optionalEnv(env, name);
  if (raw === undefined) return options.fallback;
  const value = Number(raw);
  const min = options.min ?? 0;
  if (!Number.isFinite(value) || value < min || (options.integer && !Number.isInteger(value))) {
    throw new ConfigurationError(name, `must be a ${options.integer ? 'whole number' : 'number'} >= ${min}, got '${raw}'`);
  }
  return value;
}

/** JSON from a variable, or `ConfigurationError` naming it. */
export function jsonEnv(env: Environment, name: string): unknown {
  const raw = requiredEnv(env, name);
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new ConfigurationError(name, `is not valid JSON (${(err as Error).message})`, { cause: err });
  }
}
