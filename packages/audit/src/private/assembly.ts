// Reads the stacks of a cloud assembly directory (cdk.out), including the nested assemblies
// that CDK Stages synthesize into (`assembly-<Stage>/`). Errors name the file at fault.
import * as fs from 'fs';
import * as path from 'path';

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
    if (artifact?.type === 'aws:cloudformation:stack') {
      const file = artifact.properties?.templateFile;
      if (typeof file !== 'string' || file.trim() === '') throw new Error(`${manifestFile}: stack ${id} has no properties.templateFile`);
      stacks.set(id, { artifactId: id, displayName: artifact.displayName ?? id, templateFile: path.join(dir, file) });
    } else if (artifact?.type === 'cdk:cloud-assembly') {
      const sub = artifact.properties?.directoryName;
      if (typeof sub !== 'string' || sub.trim() === '') throw new Error(`${manifestFile}: nested assembly ${id} has no properties.directoryName`);
      collect(path.join(dir, sub), stacks, seen);
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

/** A parsed CloudFormation template: a JSON object whose Resources (if any) is an object; errors name the file. */
export function readTemplate(file: string): any {
  const template = readJson(file);
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw new Error(`${file} is not a CloudFormation template (a JSON object), got ${template === null ? 'null' : Array.isArray(template) ? 'a list' : `a ${typeof template}`}`);
  }
  const resources = template.Resources;
  if (resources !== undefined && (resources === null || typeof resources !== 'object' || Array.isArray(resources))) {
    throw new Error(`${file}: Resources must be an object of logical id -> resource`);
  }
  return template;
}
