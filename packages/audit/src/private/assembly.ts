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
