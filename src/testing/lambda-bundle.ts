// Loads a function's bundled code from its asset in a cloud assembly and runs it in-process with the function's
// environment, as Lambda would: a fresh CommonJS module per loader, bare imports resolved from the project.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { CfnResolver, type CfnResource, type CfnResolverOptions, type Json } from './cfn-resolver';

/** A Lambda function run in-process. */
export interface LocalLambda {
  /** The handler (`exports.handler` of the bundle). */
  readonly handler: (event: unknown, context: unknown) => unknown;
  /**
   * The function's environment variables. They are set around the synchronous start of each invocation, where the
   * workflow handlers read their configuration, then restored. @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** The function's logical id or name, for reports. */
  readonly name?: string;
  /** The handler as the bundle exports it (loading the bundle), e.g. to see that it streams. @default - not known */
  readonly exported?: () => unknown;
}

/** Node's Module class, for compiling a bundle as a fresh module. */
const ModuleCtor = (nodeModule as unknown as { Module: {
  new (id: string, parent?: unknown): { filename: string; paths: string[]; exports: Record<string, unknown>; _compile(code: string, file: string): void };
  _nodeModulePaths(p: string): string[];
}; }).Module;

/** Options of `templateLambdas`. */
export interface TemplateLambdasOptions extends CfnResolverOptions {
  /** The cloud assembly directory holding `asset.<hash>` directories. */
  readonly assemblyDirectory: string;
  /** Extra or replacement environment variables per function logical id. @default - none */
  readonly functionEnvironment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the bundles' bare imports (`@aws-sdk/*`, provided by the Lambda runtime) resolve. @default process.cwd() */
  readonly nodeModulesFrom?: string;
  /** Names the loader in errors. @default 'LocalLambda' */
  readonly owner?: string;
}

/**
 * Every `AWS::Lambda::Function` of a template whose code is an asset, as a `LocalLambda`, keyed by its function ARN
 * and by the ARN of each `AWS::Lambda::Alias` on it. Each bundle is loaded on first use, as a fresh module: no
 * module state leaks between two calls of this function.
 */
export function templateLambdas(resources: Readonly<Record<string, CfnResource>>, options: TemplateLambdasOptions, resolver = new CfnResolver(resources as Record<string, CfnResource>, options)): Record<string, LocalLambda> {
  const owner = options.owner ?? 'LocalLambda';
  const lambdas: Record<string, LocalLambda> = {};
  const nodeModules = ModuleCtor._nodeModulePaths(options.nodeModulesFrom ?? process.cwd());
  linkNodeModules(options.assemblyDirectory, options.nodeModulesFrom ?? process.cwd());
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const key = (r.Properties?.Code as { S3Key?: Json })?.S3Key;
    const hash = typeof key === 'string' ? key.replace(/\.zip$/, '') : undefined;
    if (!hash) continue; // inline code or an image: not run locally
    const [file, exportName] = splitHandler(String(r.Properties?.Handler ?? 'index.handler'));
    const dir = join(options.assemblyDirectory, `asset.${hash}`);
    let loaded: Record<string, unknown> | undefined;
    const env = onLocalDisk({
      ...(resolver.resolve((r.Properties?.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Record<string, string>),
      ...options.functionEnvironment?.[id],
    }, layerDirectories(resources, r, options.assemblyDirectory));
    const exported = () => (loaded ??= loadModule(join(dir, `${file}.js`), nodeModules))[exportName];
    const lambda: LocalLambda = {
      name: id,
      environment: env,
      exported,
      handler: (event, context) => {
        const fn = exported();
        if (typeof fn !== 'function') throw new Error(`${owner}: ${join(dir, file)}.js exports no '${exportName}' (function ${id}).`);
        return (fn as (e: unknown, c: unknown) => unknown)(event, context);
      },
    };
    lambdas[resolver.functionArn(id)] = lambda;
    for (const [aliasId, a] of Object.entries(resources)) {
      if (a.Type === 'AWS::Lambda::Alias' && resolver.refersTo(a.Properties?.FunctionName as Json, id)) {
        lambdas[resolver.resolve({ Ref: aliasId }) as string] = lambda;
      }
    }
  }
  return lambdas;
}

/** The staged asset directories of a function's layers (`Layers: [{ Ref: <LayerVersion> }]`), in order. */
function layerDirectories(resources: Readonly<Record<string, CfnResource>>, fn: CfnResource, assemblyDirectory: string): string[] {
  const layers = Array.isArray(fn.Properties?.Layers) ? fn.Properties!.Layers as Array<{ Ref?: string }> : [];
  return layers.flatMap((l) => {
    const key = (resources[l?.Ref ?? '']?.Properties?.Content as { S3Key?: unknown } | undefined)?.S3Key;
    return typeof key === 'string' ? [join(assemblyDirectory, `asset.${key.replace(/\.zip$/, '')}`)] : [];
  });
}

/** Lambda extracts layers under /opt: an environment value naming a file there points at the staged layer instead. */
function onLocalDisk(env: Record<string, string>, layerDirs: string[]): Record<string, string> {
  if (layerDirs.length === 0) return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => {
    if (typeof v !== 'string' || !v.startsWith('/opt/')) return [k, v];
    const found = layerDirs.map((d) => join(d, v.slice('/opt/'.length))).find((f) => existsSync(f));
    return [k, found ?? v];
  }));
}

/**
 * Sets environment variables for the whole process and returns what puts the previous values back (unset ones are
 * deleted again): how the offline runners point the handlers' SDK clients at the stand-ins.
 */
export function setProcessEnvironment(env: Readonly<Record<string, string>> | undefined): () => void {
  const saved = Object.keys(env ?? {}).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    saved.length = 0;
  };
}

/** Sets `env` for the synchronous start of `fn` (where handlers read their configuration), then restores it. */
export function withEnvironment<T>(env: Readonly<Record<string, string>> | undefined, fn: () => T): T {
  if (!env) return fn();
  const restore = setProcessEnvironment(env);
  try {
    return fn();
  } finally {
    restore();
  }
}

/**
 * Bundles leave the AWS SDK to the Lambda runtime, and some load it with a dynamic `import()`, which resolves by
 * walking up from the file (module.paths do not apply): a `node_modules` link in the assembly directory (a temporary
 * directory of the synthesis) makes those imports find the project's packages.
 */
export function linkNodeModules(assemblyDirectory: string, from: string): void {
  const target = join(from, 'node_modules');
  const link = join(assemblyDirectory, 'node_modules');
  if (existsSync(link) || !existsSync(target)) return;
  try {
    symlinkSync(target, link, 'dir');
  } catch {
    // A read-only assembly: CommonJS requires still resolve through module.paths.
  }
}

/** Compiles a CommonJS bundle as a fresh module whose bare imports also resolve from `extraPaths`. */
export function loadModule(file: string, extraPaths: string[]): Record<string, unknown> {
  const mod = new ModuleCtor(file);
  mod.filename = file;
  mod.paths = [...ModuleCtor._nodeModulePaths(dirname(file)), ...extraPaths];
  mod._compile(readFileSync(file, 'utf8'), file);
  return mod.exports;
}

export function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}


/**
 * Invokes a local function as Lambda does: the event and the result cross a JSON boundary, and the function's
 * environment is set for the synchronous start of the call. `timeoutMs` feeds `getRemainingTimeInMillis`.
 */
export async function invokeLocalLambda(lambda: LocalLambda, invokedFunctionArn: string, event: unknown, timeoutMs = 30_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  const context = {
    functionName: lambda.name ?? invokedFunctionArn, invokedFunctionArn, awsRequestId: `${Date.now()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const copy = JSON.parse(JSON.stringify(event ?? null));
  const result = await withEnvironment(lambda.environment, () => lambda.handler(copy, context));
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
