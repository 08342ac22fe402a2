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
