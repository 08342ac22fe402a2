import { javascript, typescript } from 'projen';
import { SUBPROJECT_OPTIONS, finishSubproject } from './subproject';
import { NPM_PINS, pinned } from './versions';

export interface TestProjectOptions {
  /** Folder name under apps/. */
  readonly name: string;
  readonly description: string;
  /** The Portcullis packages (folder names) its tests compose: its only Portcullis dependencies. */
  readonly uses: string[];
}

/**
 * A private workspace of tests only, under apps/<name>: tests that need several packages at
 * once that do not depend on each other (e.g. one service behind an ALB and an HTTP API), so
 * that neither package depends on the other for a test (README "Working in the repo"). It
 * depends on exactly the packages it composes, so nx runs it when one of them changes. Its nx
 * `build` type-checks the tests; `test` runs them with jest, like a package's tests (fixed
 * fast-check seed, no creation stack traces).
 */
export function testProject(root: javascript.NodeProject, options: TestProjectOptions) {
  const project = new typescript.TypeScriptProject({
    parent: root,
    outdir: `apps/${options.name}`,
    name: `@portcullis-apps/${options.name}`,
    description: options.description,
    ...SUBPROJECT_OPTIONS,
    licensed: false,
    typescriptVersion: NPM_PINS.typescript,
    jestOptions: {
      junitReporting: false,
      coverageText: false,
      jestConfig: {
        testMatch: ['<rootDir>/test/**/*.test.ts'],
        setupFiles: ['<rootDir>/../../scripts/jest/fast-check-seed.js', '<rootDir>/../../scripts/jest/synth-context.js'],
        globalSetup: '<rootDir>/../../scripts/jest/print-seed.js',
      },
    },
    devDeps: [
      ...options.uses.map((p) => `@portcullis/${p}@0.0.0`),
      ...['aws-cdk-lib', 'constructs', 'fast-check'].map(pinned),
    ],
    tsconfig: { compilerOptions: { typeRoots: ['./node_modules/@types', '../../node_modules/@types'], isolatedModules: true } },
  });
  project.package.addField('private', true);
  finishSubproject(project);
  // For nx, build = type-check the tests (there is no source to compile); test = jest only.
  const typecheck = project.addTask('typecheck', { description: 'Type-check the tests', exec: 'tsc --noEmit -p test/tsconfig.json' });
  project.package.setScript('build', `projen ${typecheck.name}`);
  project.testTask.reset('jest --ci --coverage=false');
  return project;
}
