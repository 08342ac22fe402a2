import { awscdk, javascript, typescript } from 'projen';
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
    devDeps: [pinned('aws-cdk-lib'), pinned('constructs')],
    tsconfig: { compilerOptions: { typeRoots: ['./node_modules/@types', '../../node_modules/@types'] } },
  });
  project.package.addField('private', true);
  finishSubproject(project);
  // For nx, build = compile to lib/ (the apps import it); it is tested through the apps' tests.
  project.package.setScript('build', `projen ${project.compileTask.name}`);
  return project;
}

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
      jestConfig: { testMatch: ['<rootDir>/test/**/*.test.ts'] },
    },
    tsconfig: {
      compilerOptions: {
        // @types/jest and @types/node are hoisted to the repository root.
        typeRoots: ['./node_modules/@types', '../../node_modules/@types'],
        isolatedModules: true,
      },
    },
    deps: [...options.uses.map((p) => `@portcullis/${p}@0.0.0`), '@portcullis-apps/reference-kit@0.0.0'],
    devDeps: ['cdk-nag', '@aws-cdk/integ-tests-alpha', '@aws-cdk/integ-runner'].map(pinned),
  });
  project.package.addField('private', true);
  finishSubproject(project, ['esbuild']);

  // Quiet synth (the template is in cdk.out/); no notices fetched from the internet.
  project.cdkConfig.json.addOverride('notices', false);
  project.cdkConfig.json.addDeletionOverride('build'); // no Lambda bundles to build before synth
  project.tasks.tryFind('synth')!.reset('cdk synth --quiet');

  // For nx, build = type-check only; synth and test are their own targets.
  const typecheck = project.addTask('typecheck', { exec: 'tsc --noEmit -p test/tsconfig.json' }); // src + tests
  project.package.setScript('build', `projen ${typecheck.name}`);
  project.testTask.reset('jest --ci --coverage=false');
  return project;
}
