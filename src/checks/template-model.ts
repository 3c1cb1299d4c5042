// Reads a CloudFormation template, from a cloud assembly or rendered from a construct tree, into the facts the
// latency rules and the latency report work on: resources, the functions Lex invokes, permissions and asset sizes.
import * as fs from 'fs';
import * as path from 'path';
import { FAST_LEX_ENV } from '../shared/env';

/** A JSON object as it appears in a template. */
export type JsonObject = { [key: string]: unknown };

/** One resource of a template. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: JsonObject;
  readonly metadata: JsonObject;
}

/** What a template needs besides its resources to be checked. */
export interface TemplateSource {
  /** Name of the stack, for messages. */
  readonly stackName: string;
  /** The `Resources` section. */
  readonly resources: JsonObject;
  /** Directory that holds the staged assets (`asset.<hash>`), when known. */
  readonly assetDir?: string;
  /** Asset hash → staged path, from the stack's asset manifest, when known. */
  readonly assetPaths?: ReadonlyMap<string, string>;
  /** Rule ids acknowledged per logical id, with their reasons. */
  readonly acknowledgements?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Metadata key that declares the size in bytes of a function's code or a layer whose files are not in the assembly. */
export const DECLARED_SIZE_METADATA = 'cdk-fast-lex:sizeBytes';
/** The AWS Parameters and Secrets Lambda Extension's layer name (x86_64 and arm64 variants share the prefix). */
export const SECRETS_EXTENSION_LAYER = 'AWS-Parameters-and-Secrets-Lambda-Extension';
/** Service principals of Lex V2 (and V1, for old bots). */
const LEX_PRINCIPALS = ['lexv2.amazonaws.com', 'lex.amazonaws.com'];

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, if `v` is one. */
export function refTarget(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * Renders a value to a string, replacing each intrinsic with a placeholder that keeps the reference:
 * `{{ref:Id}}`, `{{getatt:Id.Attr}}`, `{{AWS::Region}}`. The placeholders hold no quote or backslash, so a
 * `DefinitionString` joined around tokens still parses as JSON.
 */
export function flatten(v: unknown, substitutions: JsonObject = {}): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!isObject(v)) return '';
  if (typeof v.Ref === 'string') return v.Ref.startsWith('AWS::') ? `{{${v.Ref}}}` : `{{ref:${v.Ref}}}`;
  const getAtt = v['Fn::GetAtt'];
  if (getAtt !== undefined) {
    const [id, attr] = Array.isArray(getAtt) ? getAtt : String(getAtt).split('.');
    return `{{getatt:${id}.${flatten(attr)}}}`;
  }
  const join = v['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    return join[1].map((p: unknown) => flatten(p, substitutions)).join(String(join[0]));
  }
  const sub = v['Fn::Sub'];
  if (sub !== undefined) {
    const [text, vars] = Array.isArray(sub) ? [String(sub[0]), isObject(sub[1]) ? sub[1] : {}] : [String(sub), {}];
    return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (name in vars) return flatten(vars[name], substitutions);
      if (name in substitutions) return flatten(substitutions[name]);
      if (name.startsWith('AWS::')) return `{{${name}}}`;
      return name.includes('.') ? `{{getatt:${name}}}` : `{{ref:${name}}}`;
    });
  }
  return '{{unresolved}}';
}

/** The logical ids referenced anywhere inside a flattened string. */
export function referencedIds(text: string): string[] {
  return [...text.matchAll(/\{\{(?:ref|getatt):([A-Za-z0-9]+)/g)].map((m) => m[1]);
}

/** How a Lambda ARN or name is qualified. */
export enum Qualifier {
  /** No qualifier: the call runs `$LATEST`, which provisioned concurrency can never cover. */
  NONE = 'none',
  /** Explicitly `$LATEST`. */
  LATEST = 'latest',
  /** An alias or version of this template. */
  LOCAL = 'local',
  /** A qualifier this template does not define: nothing is known about it. */
  EXTERNAL = 'external',
}

/** Where a Lambda reference leads. */
export interface FunctionTarget {
  readonly functionId?: string;
  /** The alias or version resource named, if any. */
  readonly qualifierId?: string;
  readonly qualifier: Qualifier;
  /** Provisioned concurrency on the named alias or version (0 when none or unqualified). */
  readonly provisioned: number;
  /** The literal text when the target is not in this template. */
  readonly text: string;
}

/** Facts about one IAM statement that applies to a function's role. */
export interface Grant {
  readonly actions: string[];
  /** Logical ids the statement's resources reference. */
  readonly resourceIds: string[];
}

/** Facts about one Lambda function, gathered across the template. */
export interface FunctionFacts {
  readonly logicalId: string;
  readonly memoryMb: number;
  readonly architecture: string;
  readonly timeoutSeconds: number;
  /** Bytes of code plus known layers; layers of unknown size are listed in `unknownSizeLayers`. */
  readonly codeBytes?: number;
  readonly layerBytes: number;
  readonly unknownSizeLayers: string[];
  readonly layerTexts: string[];
  readonly environment: JsonObject;
  readonly grants: Grant[];
  readonly runtimeMarker: boolean;
  readonly secretsExtension: boolean;
}

/** The parsed view of one template. */
export class TemplateModel {
  public readonly stackName: string;
  public readonly resources = new Map<string, TemplateResource>();
  private readonly assetDir?: string;
  private readonly assetPaths?: ReadonlyMap<string, string>;
  private readonly acknowledgements: ReadonlyMap<string, ReadonlyMap<string, string>>;
  private readonly sizeCache = new Map<string, number | undefined>();

  constructor(source: TemplateSource) {
    this.stackName = source.stackName;
    this.assetDir = source.assetDir;
    this.assetPaths = source.assetPaths;
    this.acknowledgements = source.acknowledgements ?? new Map();
    for (const [logicalId, raw] of Object.entries(source.resources)) {
      if (!isObject(raw) || typeof raw.Type !== 'string') continue;
      this.resources.set(logicalId, {
        logicalId,
        type: raw.Type,
        properties: isObject(raw.Properties) ? raw.Properties : {},
        metadata: isObject(raw.Metadata) ? raw.Metadata : {},
      });
    }
  }

  public ofType(type: string): TemplateResource[] {
    return [...this.resources.values()].filter((r) => r.type === type);
  }

  public get(logicalId: string | undefined, type?: string): TemplateResource | undefined {
    if (!logicalId) return undefined;
    const r = this.resources.get(logicalId);
    return r && (!type || r.type === type) ? r : undefined;
  }

  /** The reason a rule was acknowledged for a resource, from construct metadata or the cdk-nag metadata block. */
  public acknowledgement(logicalId: string, ruleId: string): string | undefined {
    const fromTree = this.acknowledgements.get(logicalId)?.get(ruleId);
    if (fromTree !== undefined) return fromTree;
    const nag = this.resources.get(logicalId)?.metadata.cdk_nag;
    const rules = isObject(nag) && Array.isArray(nag.rules_to_suppress) ? nag.rules_to_suppress : [];
    for (const rule of rules) {
      if (isObject(rule) && rule.id === ruleId) return typeof rule.reason === 'string' ? rule.reason : '';
    }
    return undefined;
  }

  /** Where a Lambda reference (an ARN, a name, an intrinsic) leads in this template. */
  public functionTarget(value: unknown): FunctionTarget {
    const text = flatten(value);
    const id = refTarget(value);
    const direct = this.get(id);
    if (direct) return this.targetOfResource(direct, text);
    // A joined or literal ARN: `<function>` or `<function>:<qualifier>`.
    const ids = referencedIds(text);
    const fnId = ids.find((i) => this.get(i)?.type === 'AWS::Lambda::Function');
    if (fnId) {
      const afterArn = text.split(/\{\{(?:ref|getatt):[A-Za-z0-9.]+\}\}/).pop() ?? '';
      if (afterArn.startsWith(':$LATEST')) return { functionId: fnId, qualifier: Qualifier.LATEST, provisioned: 0, text };
      if (afterArn.startsWith(':')) return { functionId: fnId, qualifier: Qualifier.EXTERNAL, provisioned: 0, text };
      return { functionId: fnId, qualifier: Qualifier.NONE, provisioned: 0, text };
    }
    const aliasId = ids.find((i) => ['AWS::Lambda::Alias', 'AWS::Lambda::Version'].includes(this.get(i)?.type ?? ''));
    if (aliasId) return this.targetOfResource(this.get(aliasId)!, text);
    // arn:aws:lambda:region:account:function:name[:qualifier], or a bare name.
    const parts = text.split(':');
    if (text.startsWith('arn:')) {
      const qualifier = parts[7];
      if (qualifier === undefined) return { qualifier: Qualifier.NONE, provisioned: 0, text };
      return { qualifier: qualifier === '$LATEST' ? Qualifier.LATEST : Qualifier.EXTERNAL, provisioned: 0, text };
    }
    return { qualifier: Qualifier.EXTERNAL, provisioned: 0, text };
  }

  private targetOfResource(r: TemplateResource, text: string): FunctionTarget {
    if (r.type === 'AWS::Lambda::Function') return { functionId: r.logicalId, qualifier: Qualifier.NONE, provisioned: 0, text };
    if (r.type === 'AWS::Lambda::Alias' || r.type === 'AWS::Lambda::Version') {
      const fn = this.functionTarget(r.properties.FunctionName);
      let provisioned = provisionedOf(r);
      // An alias that routes to a version with provisioned concurrency is served by it.
      const version = this.get(refTarget(r.properties.FunctionVersion), 'AWS::Lambda::Version');
      if (provisioned === 0 && version) provisioned = provisionedOf(version);
      return { functionId: fn.functionId, qualifierId: r.logicalId, qualifier: Qualifier.LOCAL, provisioned, text };
    }
    return { qualifier: Qualifier.EXTERNAL, provisioned: 0, text };
  }

  /**
   * The conversation path: functions a Lex bot alias names in its code hook, or that grant Lex permission to invoke
   * them. The value is the provisioned concurrency the smallest-covered invocation gets (0 if any route lacks it).
   */
  public conversationFunctions(): Map<string, number> {
    const result = new Map<string, number>();
    const add = (t: FunctionTarget) => {
      if (!t.functionId) return;
      const pc = t.qualifier === Qualifier.LOCAL ? t.provisioned : 0;
      result.set(t.functionId, Math.min(result.get(t.functionId) ?? pc, pc));
    };
    for (const alias of this.ofType('AWS::Lex::BotAlias')) {
      for (const hook of this.codeHooks(alias)) add(this.functionTarget(hook));
    }
    for (const perm of this.ofType('AWS::Lambda::Permission')) {
      if (LEX_PRINCIPALS.includes(flatten(perm.properties.Principal))) add(this.functionTarget(perm.properties.FunctionName));
    }
    return result;
  }

  /** The `LambdaArn` values of a bot alias's locale settings. */
  public codeHooks(alias: TemplateResource): unknown[] {
    const settings = alias.properties.BotAliasLocaleSettings;
    if (!Array.isArray(settings)) return [];
    const arns: unknown[] = [];
    for (const s of settings) {
      const hook = dig(s, 'BotAliasLocaleSetting', 'CodeHookSpecification', 'LambdaCodeHook', 'LambdaArn');
      if (hook !== undefined) arns.push(hook);
    }
    return arns;
  }

  /** Everything the latency rules and report need to know about a function. */
  public functionFacts(fn: TemplateResource): FunctionFacts {
    const p = fn.properties;
    const layerValues = Array.isArray(p.Layers) ? p.Layers : [];
    let layerBytes = 0;
    const unknownSizeLayers: string[] = [];
    const layerTexts: string[] = [];
    for (const layer of layerValues) {
      const text = flatten(layer);
      layerTexts.push(text);
      const local = this.get(refTarget(layer), 'AWS::Lambda::LayerVersion');
      const size = local ? this.assetBytes(local, local.properties.Content) : undefined;
      if (size === undefined) unknownSizeLayers.push(local?.logicalId ?? text);
      else layerBytes += size;
    }
    const environment = (dig(p, 'Environment', 'Variables') as JsonObject | undefined) ?? {};
    const architectures = Array.isArray(p.Architectures) ? p.Architectures.map((a) => flatten(a)) : [];
    return {
      logicalId: fn.logicalId,
      memoryMb: numberOr(p.MemorySize, 128),
      architecture: architectures[0] ?? 'x86_64',
      timeoutSeconds: numberOr(p.Timeout, 3),
      codeBytes: this.assetBytes(fn, p.Code),
      layerBytes,
      unknownSizeLayers,
      layerTexts,
      environment: isObject(environment) ? environment : {},
      grants: this.grantsOfRole(refTarget(p.Role)),
      runtimeMarker: isObject(environment) && FAST_LEX_ENV.runtimeMarker in environment,
      secretsExtension: layerTexts.some((t) => t.includes(SECRETS_EXTENSION_LAYER)),
    };
  }

  /** IAM statements (Allow) attached to a role through `AWS::IAM::Policy`, managed policies of this template, or inline. */
  public grantsOfRole(roleId: string | undefined): Grant[] {
    if (!roleId) return [];
    const docs: unknown[] = [];
    for (const policy of [...this.ofType('AWS::IAM::Policy'), ...this.ofType('AWS::IAM::ManagedPolicy')]) {
      const roles = Array.isArray(policy.properties.Roles) ? policy.properties.Roles : [];
      if (roles.some((r) => refTarget(r) === roleId)) docs.push(policy.properties.PolicyDocument);
    }
    const role = this.get(roleId, 'AWS::IAM::Role');
    const inline = role && Array.isArray(role.properties.Policies) ? role.properties.Policies : [];
    for (const p of inline) docs.push(dig(p, 'PolicyDocument'));
    for (const arn of role && Array.isArray(role.properties.ManagedPolicyArns) ? role.properties.ManagedPolicyArns : []) {
      const managed = this.get(refTarget(arn), 'AWS::IAM::ManagedPolicy');
      if (managed) docs.push(managed.properties.PolicyDocument);
    }
    const grants: Grant[] = [];
    for (const doc of docs) {
      const statements = dig(doc, 'Statement');
      for (const s of Array.isArray(statements) ? statements : [statements]) {
        if (!isObject(s) || s.Effect !== 'Allow') continue;
        const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]).map((a) => flatten(a).toLowerCase());
        const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        grants.push({ actions, resourceIds: resources.flatMap((r) => referencedIds(flatten(r))) });
      }
    }
    return grants;
  }

  /**
   * Size in bytes of the code a resource deploys. Heuristic, in this order: a declared size in the resource's
   * `cdk-fast-lex:sizeBytes` metadata; inline `ZipFile` source; the staged asset named by the resource's
   * `aws:asset:path` metadata; the staged asset `asset.<hash>` whose hash is the `S3Key` (`<hash>.zip`) that the CDK
   * default synthesizer writes. A directory counts as the sum of its file sizes (uncompressed, so an upper bound of the
   * zip), a file as its size. Anything else (an S3 object made elsewhere, a container image) is unknown.
   */
  public assetBytes(r: TemplateResource, code: unknown): number | undefined {
    const declared = r.metadata[DECLARED_SIZE_METADATA];
    if (typeof declared === 'number') return declared;
    if (isObject(code) && typeof code.ZipFile === 'string') return Buffer.byteLength(code.ZipFile);
    const candidates: string[] = [];
    const metaPath = r.metadata['aws:asset:path'];
    if (typeof metaPath === 'string' && this.assetDir) candidates.push(path.resolve(this.assetDir, metaPath));
    const key = isObject(code) ? flatten(code.S3Key) : '';
    const hash = /^([a-f0-9]{64})\.zip$/.exec(key)?.[1];
    if (hash) {
      const fromManifest = this.assetPaths?.get(hash);
      if (fromManifest) candidates.push(fromManifest);
      if (this.assetDir) candidates.push(path.join(this.assetDir, `asset.${hash}`), path.join(this.assetDir, `asset.${hash}.zip`));
    }
    for (const c of candidates) {
      if (this.sizeCache.has(c)) return this.sizeCache.get(c);
      const size = pathBytes(c);
      this.sizeCache.set(c, size);
      if (size !== undefined) return size;
    }
    return undefined;
  }
}

function provisionedOf(r: TemplateResource): number {
  return numberOr(dig(r.properties, 'ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions'), 0);
}

function numberOr(v: unknown, fallback: number): number {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

/** Follows object keys, returning undefined at the first missing one. */
export function dig(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function pathBytes(p: string): number | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return stat.size;
  if (!stat.isDirectory()) return undefined;
  let total = 0;
  for (const entry of fs.readdirSync(p)) total += pathBytes(path.join(p, entry)) ?? 0;
  return total;
}

/** Whether a granted action (which may hold wildcards) covers `action`. */
export function actionCovers(granted: string, action: string): boolean {
  const pattern = new RegExp('^' + granted.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return pattern.test(action.toLowerCase());
}

/** Whether any grant allows one of the actions (and, if given, on a resource that `onResource` accepts). */
export function grants(facts: FunctionFacts, actions: string[], onResource?: (id: string) => boolean): boolean {
  return facts.grants.some((g) =>
    g.actions.some((a) => actions.some((wanted) => actionCovers(a, wanted))) &&
    (!onResource || g.resourceIds.some(onResource)),
  );
}

export { isObject };
