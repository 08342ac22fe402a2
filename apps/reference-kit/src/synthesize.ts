import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/**
 * Synthesizes an app into a fresh temporary cloud assembly, with CDK context as
 * `cdk synth -c key=value` would give it, and returns the directory (what `cdk.out` holds).
 * For update-safety tests: synthesize before and after a change, then compare the assemblies.
 */
export function synthesizeApp(build: (app: App) => void, context: Record<string, string> = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-app-'));
  const app = new App({ outdir, context });
  build(app);
  app.synth();
  return outdir;
}

/**
 * Runs `portcullis-audit diff <before> <after>` with the CLI of the `@portcullis/audit` the
 * current app depends on (resolved from the working directory) and returns its exit status
 * and combined output.
 */
export function auditDiff(before: string, after: string): { status: number; output: string } {
  const cli = path.join(path.dirname(require.resolve('@portcullis/audit/package.json', { paths: [process.cwd()] })), 'lib', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'diff', before, after], { encoding: 'utf8' });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/**
 * The README row "What a change replaces" publishes for a change: `| change | cell |`, the
 * cell `nothing (updated in place)` or the sorted findings, a repeated one as `` `A REPLACE` ×2 ``.
 */
export function replacementTableRow(change: string, replaces: string[]): string {
  if (replaces.length === 0) return `| ${change} | nothing (updated in place) |`;
  const counts = new Map<string, number>();
  for (const r of [...replaces].sort()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return `| ${change} | ${[...counts].map(([r, n]) => `\`${r}\`${n > 1 ? ` ×${n}` : ''}`).join(', ')} |`;
}
