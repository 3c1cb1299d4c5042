// Which rules a resource has acknowledged, with the reasons: read from a construct tree (synth-time checks) or from a
// synthesized assembly's metadata (the report), the same way for both: the nearest acknowledgement wins.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rule id (without its plugin namespace, `FastLex::`) to the reason given. */
export type Acknowledgements = Map<string, string>;

/** Adds the rules of one `aws:cdk:acknowledged-rules` entry that `into` does not have yet (nearer ones were added first). */
function addAcknowledged(into: Acknowledgements, data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  for (const [id, reason] of Object.entries(data as Record<string, unknown>)) {
    const ruleId = id.replace(/^[^:]+::/, '');
    if (!into.has(ruleId)) into.set(ruleId, typeof reason === 'string' ? reason : '');
  }
}

/** The acknowledgements on a construct and its ancestors, from `Validations.of(x).acknowledge(...)`. */
export function acknowledgementsOfConstruct(c: IConstruct): Acknowledgements {
  const result: Acknowledgements = new Map();
  for (let cur: IConstruct | undefined = c; cur; cur = cur.node.scope) {
    for (const entry of cur.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) addAcknowledged(result, entry.data);
    }
  }
  return result;
}

/**
 * The acknowledgements recorded in a cloud assembly's construct metadata, by logical id: an entry on a path applies to
 * the resources at or below it.
 */
export function acknowledgementsFromMetadata(metadata: Record<string, Array<{ type: string; data: unknown }>>): Map<string, Acknowledgements> {
  const logicalIds = new Map<string, string>();
  for (const [path, entries] of Object.entries(metadata)) {
    for (const e of entries) if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') logicalIds.set(path, e.data);
  }
  const result = new Map<string, Acknowledgements>();
  for (const [path, logicalId] of logicalIds) {
    const merged: Acknowledgements = new Map();
    for (let cur = path; cur !== ''; cur = cur.substring(0, cur.lastIndexOf('/'))) {
      for (const e of metadata[cur] ?? []) if (e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) addAcknowledged(merged, e.data);
    }
    result.set(logicalId, merged);
  }
  return result;
}
