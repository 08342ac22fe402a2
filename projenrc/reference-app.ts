import { TaskShell, awscdk, javascript, typescript } from 'projen';
import { SUBPROJECT_OPTIONS, finishSubproject } from './subproject';
import { NPM_PINS, pinned } from './versions';

/** The private workspace the reference apps share: context parsing and reasoned acknowledgements. */
export function referenceKit(root: javascript.NodeProject) {
  const project = new typescript.TypeScriptProject({
    parent: root,
    outdir: 'apps/reference-kit',
    name: '@portcullis-apps/reference-kit',
    description: 'What the reference apps share: reading their CDK context and acknowledging policy findings with reasons',
    ...SUBPROJECT_OPTIONS,
    licensed: false,
    typescriptVersion: NPM_PINS.typescript,
    jest: false,
    peerDeps: [pinned('aws-cdk-lib'), pinned('constructs')],
    // Only what every app uses: an ingress change must affect only the app that uses it.
    deps: ['network', 'cluster'].map((p) => `@portcullis/${p}@0.0.0`),
    // lib/deploy-evidence (the apps' integ-test helpers) builds on @aws-cdk/integ-tests-alpha.
    devDeps: [pinned('aws-cdk-lib'), pinned('constructs'), pinned('@aws-cdk/integ-tests-alpha')],
    tsconfig: { compilerOptions: { typeRoots: ['./node_modules/@types', '../../node_modules/@types'] } },
  });
  project.package.addField('private', true);
  finishSubproject(project);
  // For nx, build = compile to lib/ (the apps import it); it is tested through the apps' tests.
  project.package.setScript('build', `projen ${project.compileTask.name}`);
  return project;
}

/**
 * Deploy evidence (README "Deploy evidence"): the integ tests `test/integ.*.ts` of the apps, in
 * the CDK convention (@aws-cdk/integ-tests-alpha + integ-runner). The arguments every
 * integ-runner call takes: TypeScript tests, run without type-checking (the app's `typecheck`
 * task checks them). The ts-node CLI, not `node -r ts-node/register`: it reads the tsconfig.json
 * next to the test (test/tsconfig.json) rather than one in the working directory, so one
 * integ-runner can run every app's tests from the repository root.
 */
export const INTEG_RUNNER = 'integ-runner --language typescript --app "ts-node --transpile-only {filePath}"';
/**
 * Rewrites the snapshots of the failed (changed or new) tests from a synth: no deploy, no AWS
 * account. integ-runner lists the resources a change would replace and then exits 1 ("Some
 * changes were destructive!") although it wrote the snapshots, so a plain check follows and
 * decides the exit code. Needs a POSIX shell.
 */
export function integUpdateCommand(directoryArgs = '') {
  const runner = `${INTEG_RUNNER}${directoryArgs ? ` ${directoryArgs}` : ''}`;
  return `${runner} --update-on-failed --dry-run --parallel-regions us-east-1; echo 'Checking the rewritten snapshots:'; ${runner}`;
}
/**
 * Deploys every test (also those whose snapshot is current), asserts, destroys, and rewrites the
 * snapshot. One region (AWS_REGION, else us-east-1) runs one test at a time: each app holds two
 * Elastic IPs (NAT), and an account has five per region by default. Needs a POSIX shell.
 */
export const INTEG_DEPLOY_ARGS = '--parallel-regions ${AWS_REGION:-us-east-1} --force'; // not last: an array option would swallow test names given after it

export interface ReferenceAppOptions {
  /** Folder name under apps/. */
  readonly name: string;
  readonly description: string;
  /** The Portcullis packages (folder names) the app composes. */
  readonly uses: string[];
}

/**
 * A deployable reference environment under apps/<name>: a private workspace with a CDK app
 * (`src/main.ts`), a `synth` task writing `cdk.out/` without AWS credentials, and
 * `deploy`/`destroy` tasks for users with an account.
 */
export function referenceApp(root: javascript.NodeProject, options: ReferenceAppOptions) {
  const project = new awscdk.AwsCdkTypeScriptApp({
    parent: root,
    outdir: `apps/${options.name}`,
    name: `@portcullis-apps/${options.name}`,
    description: options.description,
    ...SUBPROJECT_OPTIONS,
    licensed: false,
    cdkVersion: NPM_PINS['aws-cdk-lib'],
    cdkCliVersion: NPM_PINS['aws-cdk'],
    constructsVersion: NPM_PINS.constructs,
    typescriptVersion: NPM_PINS.typescript,
    jestOptions: {
      junitReporting: false,
      jestConfig: {
        testMatch: ['<rootDir>/test/**/*.test.ts'],
        // every template held to CloudFormation Validate's errors, no creation stack traces
        // (scripts/jest/synth-context.js); one validation engine per jest worker (cloudformation-validate.js)
        setupFiles: ['<rootDir>/../../scripts/jest/synth-context.js'],
        moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/../../scripts/jest/cloudformation-validate.js' },
      },
    },
    tsconfig: {
      compilerOptions: {
        // @types/jest and @types/node are hoisted to the repository root.
        typeRoots: ['./node_modules/@types', '../../node_modules/@types'],
        isolatedModules: true,
      },
    },
    deps: [...options.uses.map((p) => `@portcullis/${p}@0.0.0`), '@portcullis-apps/reference-kit@0.0.0'],
    devDeps: ['cdk-nag', '@aws-cdk/integ-tests-alpha', '@aws-cdk/integ-runner', 'sucrase'].map(pinned),
  });
  project.package.addField('private', true);
  finishSubproject(project, ['esbuild']);

  // Quiet synth (the template is in cdk.out/); no notices fetched from the internet.
  project.cdkConfig.json.addOverride('notices', false);
  project.cdkConfig.json.addDeletionOverride('build'); // no Lambda bundles to build before synth
  // The synth loop runs TypeScript transpile-only: type checking is the build's (`typecheck`,
  // the nx `build` target) and the tests' (ts-jest) job, and took about 5.5 s of the 9.4 s of
  // every `cdk synth`. Runners measured here (bench/RESULTS.md): sucrase's TypeScript-only
  // hook (`sucrase/register/ts`: it does not load the TypeScript compiler and keeps line
  // numbers, so stack traces point at the right lines) about 0.2 s faster per synth than
  // `node -r ts-node/register/transpile-only`, itself faster than `npx ts-node
  // --transpile-only` and tsx 4.23 (its CLI starts a second Node process). The four apps'
  // templates are identical under both runners. `--single-threaded-gc` (V8's garbage collector
  // without helper threads) saves another 0.4–0.6 s here: the synth's 2–3 s of CloudFormation
  // validation (aws-cdk-lib's WebAssembly engine, compiled on background threads) no longer
  // competes with GC threads on a 2-core machine; same templates (bench/RESULTS.md).
  project.cdkConfig.json.addOverride('app', 'node --single-threaded-gc -r sucrase/register/ts src/main.ts');
  project.tasks.tryFind('synth')!.reset('cdk synth --quiet');

  // For nx, build = type-check only; synth and test are their own targets.
  const typecheck = project.addTask('typecheck', { exec: 'tsc --noEmit -p test/tsconfig.json' }); // src + tests
  project.package.setScript('build', `projen ${typecheck.name}`);
  project.testTask.reset('jest --ci --coverage=false');

  // Deploy evidence. `test` (the nx target: cached, part of the root `npm test` and of
  // `nx affected`) also compares the integ tests' synth with their committed snapshots: a plain
  // integ-runner call never deploys and synthesizes without credentials.
  const failure = [
    '',
    `The integ snapshot check failed: the synth failed, or apps/${options.name}/test/integ.*.ts.snapshot/ no longer matches the code.`,
    `If the change is intended, refresh the snapshots without deploying: npm run integ:update (repository root, every app) or npx projen integ:update (in apps/${options.name}), and commit them.`,
    '(The hint above to run integ-runner --update-on-failed would deploy.)',
  ];
  const snapshot = project.addTask('integ:snapshot', {
    description: 'Compare the integ tests\' synth with their committed snapshots (no AWS account, never deploys)',
    shell: TaskShell.sh(),
    exec: `${INTEG_RUNNER} || { printf '%s\\n' ${failure.map((l) => `'${l}'`).join(' ')} >&2; exit 1; }`,
  });
  project.testTask.spawn(snapshot);
  project.addTask('integ:update', {
    description: 'Rewrite the integ snapshots that no longer match the code, from a synth (no AWS account, never deploys), then check them',
    shell: TaskShell.sh(),
    exec: integUpdateCommand(),
  });
  // An interrupted run leaves its synth in test/cdk-integ.out.*; the assertion stack's Lambda
  // bundle (asset.*, 2 MB) is rebuilt by every synth, and templates are compared without it.
  project.gitignore.exclude('/test/cdk-integ.out.*', '/test/*.snapshot/asset.*');
  return project;
}
