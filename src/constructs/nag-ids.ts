// How cdk-nag names a resource in a finding id, so an acknowledgement can name exactly the finding it covers.
import type { Stack } from 'aws-cdk-lib';

/** `value` as cdk-nag prints it: tokens as `<LogicalId.Attr>` and `<AWS::Partition>`. */
export function resolveForNag(stack: Stack, value: string): string {
  const resolved = stack.resolve(value);
  if (typeof resolved === 'string') return resolved;
  const join = resolved?.['Fn::Join'];
  if (!join) return JSON.stringify(resolved);
  return (join[1] as unknown[]).map((part) => {
    if (typeof part === 'string') return part;
    const p = part as Record<string, unknown>;
    if (p.Ref) return `<${p.Ref}>`;
    if (p['Fn::GetAtt']) return `<${(p['Fn::GetAtt'] as string[]).join('.')}>`;
    return JSON.stringify(p);
  }).join('');
}
