import { javascript } from 'projen';
import { PinnedDependencies } from './pinned-dependencies';
import { NODE } from './versions';

/** Environment every task of every project runs with. */
export const TASK_ENV: Record<string, string> = {
  // No AWS account here: never ask the instance metadata service for credentials.
  AWS_EC2_METADATA_DISABLED: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
};

/** Options every subproject (package, app, kit) shares. */
export const SUBPROJECT_OPTIONS = {
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  // engines.node of every package.json: the supported lines (projenrc/versions.ts, NODE).
  minNodeVersion: NODE.min,
  // No per-project .eslintrc: one root flat config lints every workspace (projenrc/lint.ts).
  eslint: false,
  prettier: false,
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
};

/**
 * What every subproject needs after construction: pinned dependency versions, the task
 * environment, and no install of its own (the root runs the one `npm install`).
 */
export function finishSubproject(project: javascript.NodeProject, removeDeps: string[] = []) {
  new PinnedDependencies(project, { remove: removeDeps });
  for (const [k, v] of Object.entries(TASK_ENV)) project.tasks.addEnvironment(k, v);
  project.package.installTask.reset();
  project.package.installCiTask.reset();
}
