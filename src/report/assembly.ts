// Reading a synthesized cloud assembly: its templates (nested stages included) and the acknowledgements in its metadata.
import * as fs from 'fs';
import * as path from 'path';
import { JsonObject, TemplateModel } from '../checks/template-model';
import { ReportInputError } from './model';
import { acknowledgementsFromMetadata } from '../checks/acknowledgements';

/** The templates of a cloud assembly (nested assemblies of stages included). */
export function readAssembly(dir: string): TemplateModel[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new ReportInputError(`${dir} is not a cloud assembly: it has no manifest.json (run \`cdk synth\` first)`);
  }
  let manifest: JsonObject;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as JsonObject;
  } catch (cause) {
    throw new ReportInputError(`${manifestPath} is not valid JSON`, { cause });
  }
  const artifacts = (manifest.artifacts ?? {}) as Record<string, JsonObject>;
  const assetPaths = new Map<string, string>();
  for (const a of Object.values(artifacts)) {
    if (a.type !== 'cdk:asset-manifest') continue;
    const file = path.join(dir, String((a.properties as JsonObject)?.file ?? ''));
    if (!fs.existsSync(file)) continue;
    const files = (JSON.parse(fs.readFileSync(file, 'utf8')).files ?? {}) as Record<string, { source?: { path?: string } }>;
    for (const [hash, f] of Object.entries(files)) if (f.source?.path) assetPaths.set(hash, path.join(dir, f.source.path));
  }
  const models: TemplateModel[] = [];
  for (const [id, a] of Object.entries(artifacts)) {
    const props = (a.properties ?? {}) as JsonObject;
    if (a.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      models.push(...readAssembly(path.join(dir, props.directoryName)));
      continue;
    }
    if (a.type !== 'aws:cloudformation:stack' || typeof props.templateFile !== 'string') continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, props.templateFile), 'utf8')) as JsonObject;
    let metadata = (a.metadata ?? {}) as Record<string, Array<{ type: string; data: unknown }>>;
    if (typeof a.additionalMetadataFile === 'string' && fs.existsSync(path.join(dir, a.additionalMetadataFile))) {
      metadata = { ...metadata, ...JSON.parse(fs.readFileSync(path.join(dir, a.additionalMetadataFile), 'utf8')) };
    }
    const model = new TemplateModel({
      stackName: typeof a.displayName === 'string' ? a.displayName : id,
      resources: (template.Resources ?? {}) as JsonObject,
      assetDir: dir,
      assetPaths,
      acknowledgements: acknowledgementsFromMetadata(metadata),
    });
    models.push(model);
  }
  return models;
}

