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
  for (const [id, artifact] of Object.entries<any>(manifest?.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack') {
      const file = artifact.properties?.templateFile;
      if (typeof file !== 'string') throw new Error(`${manifestFile}: stack ${id} has no properties.templateFile`);
      stacks.set(id, { artifactId: id, displayName: artifact.displayName ?? id, templateFile: path.join(dir, file) });
    } else if (artifact?.type === 'cdk:cloud-assembly') {
      const sub = artifact.properties?.directoryName;
      if (typeof sub !== 'string') throw new Error(`${manifestFile}: nested assembly ${id} has no properties.directoryName`);
      collect(path.join(dir, sub), stacks, seen);
    }
  }
}

export function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
