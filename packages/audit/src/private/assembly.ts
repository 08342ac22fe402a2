// Reads the stacks of a cloud assembly directory (cdk.out), including the nested assemblies
// that CDK Stages synthesize into (`assembly-<Stage>/`). Errors name the file at fault.
import * as fs from 'fs';
import * as path from 'path';
import { checkTemplateShape, isPlainObject, kindOf } from './template-shape';

export interface AssemblyStack {
  /** The stack's artifact id (unique in the app, also inside Stages): how before and after are matched. */
  readonly artifactId: string;
  /** The construct path, e.g. `Prod/Api` (the artifact id when the manifest has none). */
  readonly displayName: string;
  readonly templateFile: string;
}

/** Artifact id -> stack, for the assembly in `dir` and every nested assembly. */
export function assemblyStacks(dir: string): Map<string, AssemblyStack> {
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory: give a cloud assembly (cdk.out) directory`);
  const stacks = new Map<string, AssemblyStack>();
  collect(dir, stacks, new Set());
  return stacks;
}

function collect(dir: string, stacks: Map<string, AssemblyStack>, seen: Set<string>) {
  const real = fs.realpathSync(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} does not exist: is ${dir} a cdk.out directory? Run cdk synth first`);
  const manifest = readJson(manifestFile);
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error(`${manifestFile} is not a cloud assembly manifest (not a JSON object)`);
  }
  const artifacts = manifest.artifacts;
  if (artifacts === undefined) throw new Error(`${manifestFile} has no artifacts: is ${dir} a synthesized cdk.out? Run cdk synth`);
  if (artifacts === null || typeof artifacts !== 'object' || Array.isArray(artifacts)) {
    throw new Error(`${manifestFile}: artifacts must be an object of artifact id -> artifact`);
  }
  for (const [id, artifact] of Object.entries<any>(artifacts)) {
    if (!isPlainObject(artifact)) throw new Error(`${manifestFile}: artifact ${id} must be an object with a type, got ${kindOf(artifact)}`);
    if (typeof artifact.type !== 'string' || artifact.type.trim() === '') {
      throw new Error(`${manifestFile}: artifact ${id} needs a type (e.g. aws:cloudformation:stack), got ${kindOf(artifact.type)}`);
    }
    if (artifact.type !== 'aws:cloudformation:stack' && artifact.type !== 'cdk:cloud-assembly') continue;
    if (artifact.properties !== undefined && !isPlainObject(artifact.properties)) {
      throw new Error(`${manifestFile}: artifact ${id}: properties must be an object, got ${kindOf(artifact.properties)}`);
    }
    if (artifact.type === 'aws:cloudformation:stack') {
      const file = artifact.properties?.templateFile;
      if (typeof file !== 'string' || file.trim() === '') throw new Error(`${manifestFile}: stack ${id} has no properties.templateFile`);
      if (artifact.displayName !== undefined && typeof artifact.displayName !== 'string') {
        throw new Error(`${manifestFile}: stack ${id}: displayName must be a string, got ${kindOf(artifact.displayName)}`);
      }
      if (stacks.has(id)) throw new Error(`${manifestFile}: stack ${id} is also in another assembly of ${dir}: artifact ids must be unique`);
      stacks.set(id, { artifactId: id, displayName: artifact.displayName ?? id, templateFile: path.join(dir, file) });
    } else {
      const sub = artifact.properties?.directoryName;
      if (typeof sub !== 'string' || sub.trim() === '') throw new Error(`${manifestFile}: nested assembly ${id} has no properties.directoryName`);
      const nested = path.join(dir, sub);
      if (!fs.existsSync(nested) || !fs.statSync(nested).isDirectory()) {
        throw new Error(`${manifestFile}: nested assembly ${id} names ${nested}, which is not a directory`);
      }
      collect(nested, stacks, seen);
    }
  }
}

/**
 * Parses a JSON file (a template or a manifest), stripping a UTF-8 byte-order mark.
 * Errors name the file: unreadable, YAML (not supported: synthesize with cdk, which writes
 * JSON), or invalid JSON.
 */
export function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    if (/\.ya?ml$/i.test(file) || looksLikeYaml(text)) {
      throw new Error(`${file} is YAML: YAML is not supported, synthesize with cdk (JSON)`);
    }
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** A YAML template or manifest: does not start with { or [, and has a `key:` line. */
function looksLikeYaml(text: string): boolean {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return false;
  return /^(---|%YAML|[A-Za-z_][\w-]*\s*:)/m.test(start);
}

/**
 * A parsed CloudFormation template: a JSON object of template sections whose resources are
 * objects with a string Type (see template-shape.ts); errors name the file.
 */
export function readTemplate(file: string): any {
  const template = readJson(file);
  checkTemplateShape(template, file);
  return template;
}

/** A nested stack's template, read from the cloud assembly. */
export interface NestedTemplate {
  /** `<parent name>/<logical id of the AWS::CloudFormation::Stack>`, nested names joined the same way. */
  readonly name: string;
  readonly templateFile: string;
  readonly template: any;
}

/**
 * The nested stacks of a template (`AWS::CloudFormation::Stack` resources), recursively, with
 * their templates. CDK writes a nested stack's template into the cloud assembly; the resource
 * names it in its `aws:asset:path` metadata (written when asset metadata is on, as the CDK CLI
 * does) or, without it, its `TemplateURL` ends in the file asset's hash, which the stack's
 * asset manifest (`*.assets.json` of the same directory) maps to the file. A nested stack whose
 * template is not in the assembly, or is malformed, is an error naming the parent file and the
 * resource: the audit would otherwise pass what it cannot see.
 */
export function nestedTemplates(parentName: string, parentFile: string, parent: any, seen: Set<string> = new Set([path.resolve(parentFile)])): NestedTemplate[] {
  const out: NestedTemplate[] = [];
  const resources = isPlainObject(parent) && isPlainObject(parent.Resources) ? parent.Resources : {};
  for (const [id, resource] of Object.entries<any>(resources)) {
    if (!isPlainObject(resource) || resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const file = nestedTemplateFile(parentFile, id, resource);
    if (seen.has(file)) continue;
    seen.add(file);
    const template = readTemplate(file);
    const name = `${parentName}/${id}`;
    out.push({ name, templateFile: file, template }, ...nestedTemplates(name, file, template, seen));
  }
  return out;
}

function nestedTemplateFile(parentFile: string, id: string, resource: any): string {
  const dir = path.dirname(parentFile);
  const asset = isPlainObject(resource.Metadata) ? resource.Metadata['aws:asset:path'] : undefined;
  if (typeof asset === 'string' && asset.trim() !== '') {
    const file = path.resolve(dir, asset);
    if (!fs.existsSync(file)) throw new Error(`${parentFile}: nested stack ${id} names ${file} (aws:asset:path), which does not exist`);
    return file;
  }
  const url = JSON.stringify(isPlainObject(resource.Properties) ? resource.Properties.TemplateURL ?? null : null);
  const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
  const source = hash ? assetSources(dir).get(hash) : undefined;
  if (source === undefined) {
    throw new Error(`${parentFile}: nested stack ${id}: its template is not in the cloud assembly (no aws:asset:path metadata, and its TemplateURL names no file asset of ${dir}), `
      + 'so it cannot be audited: synthesize it with CDK (NestedStack, or CfnInclude with loadNestedStacks), or audit its template on its own');
  }
  const file = path.resolve(dir, source);
  if (!fs.existsSync(file)) throw new Error(`${parentFile}: nested stack ${id}: its template ${file} (from the asset manifest) does not exist`);
  return file;
}

/** Asset hash -> source path, from the asset manifests (`*.assets.json`) of an assembly directory. */
function assetSources(dir: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = readJson(path.join(dir, name));
    const files = isPlainObject(manifest) && isPlainObject(manifest.files) ? manifest.files : {};
    for (const [hash, entry] of Object.entries<any>(files)) {
      const source = isPlainObject(entry) && isPlainObject(entry.source) ? entry.source.path : undefined;
      if (typeof source === 'string') sources.set(hash, source);
    }
  }
  return sources;
}
