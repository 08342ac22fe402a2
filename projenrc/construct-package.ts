import { awscdk, javascript } from 'projen';
import { SUBPROJECT_OPTIONS, finishSubproject } from './subproject';
import { NPM_PINS, pinned } from './versions';

/** Shared metadata of every Portcullis package. */
export const REPO = {
  url: 'https://github.com/portcullis-cdk/portcullis.git',
  homepage: 'https://github.com/portcullis-cdk/portcullis',
  author: 'Portcullis contributors',
  authorAddress: 'https://github.com/portcullis-cdk/portcullis',
};

export interface ConstructPackageOptions {
  /** Folder name under packages/ and the npm name after `@portcullis/`, e.g. `alb-ingress`. */
  readonly name: string;
  readonly description: string;
  /** Sibling packages (folder names) this package builds on. */
  readonly siblings?: string[];
  /** Sibling packages (folder names) used only by the tests. */
  readonly testSiblings?: string[];
  /** Extra npm dev dependencies (names pinned in versions.ts). */
  readonly devDeps?: string[];
  /** Extra runtime dependencies, bundled into the package (names pinned in versions.ts). */
  readonly bundledDeps?: string[];
  readonly keywords?: string[];
  /** Command-line tools the package installs: name -> script under lib/. */
  readonly bins?: Record<string, string>;
}

/** The PyPI distribution and module names of a package folder name. */
export function pythonNames(name: string): { distName: string; module: string } {
  return { distName: `portcullis.${name}`, module: `portcullis.${name.replace(/-/g, '_')}` };
}

/**
 * A jsii construct library under packages/<name>, published as `@portcullis/<name>` on npm
 * and `portcullis.<name>` on PyPI.
 */
export function constructPackage(root: javascript.NodeProject, options: ConstructPackageOptions) {
  const siblings = options.siblings ?? [];
  const project = new awscdk.AwsCdkConstructLibrary({
    parent: root,
    outdir: `packages/${options.name}`,
    name: `@portcullis/${options.name}`,
    description: options.description,
    keywords: ['cdk', 'awscdk', 'aws-cdk', 'ecs', 'fargate', 'private-subnets', ...(options.keywords ?? [])],
    repositoryUrl: REPO.url,
    repositoryDirectory: `packages/${options.name}`,
    homepage: REPO.homepage,
    author: REPO.author,
    authorAddress: REPO.authorAddress,
    license: 'Apache-2.0',
    stability: 'experimental',
    ...SUBPROJECT_OPTIONS,
    cdkVersion: NPM_PINS['aws-cdk-lib'],
    constructsVersion: NPM_PINS.constructs,
    jsiiVersion: NPM_PINS.jsii,
    typescriptVersion: NPM_PINS.typescript,
    publishToPypi: pythonNames(options.name),

    docgen: true,
    jestOptions: {
      junitReporting: false,
      jestConfig: { testMatch: ['<rootDir>/test/**/*.test.ts'] },
    },

    peerDeps: siblings.map((s) => `@portcullis/${s}@^0.0.0`),
    devDeps: [
      ...[...siblings, ...(options.testSiblings ?? [])].map((s) => `@portcullis/${s}@0.0.0`),
      ...['cdk-nag', 'fast-check', ...(options.devDeps ?? [])].map(pinned),
    ],
    bundledDeps: (options.bundledDeps ?? []).map(pinned),
  });

  if (options.bins) {
    project.addBins(options.bins);
    // tsc writes lib/*.js without the execute bit; npm only sets it on files present at install time.
    project.postCompileTask.exec(`chmod +x ${Object.values(options.bins).join(' ')}`);
  }
  finishSubproject(project, ['jsii-diff']);

  // jsii-docgen >= 10.11.15 only looks for dependency assemblies below the package folder;
  // link the hoisted ones in first.
  project.tasks.tryFind('docgen')?.prependExec('node ../../scripts/link-hoisted-deps.js');

  // One pacmak run builds the npm tarball (dist/js) and the Python wheel + sdist (dist/python).
  const pkg = project.tasks.tryFind('package')!;
  pkg.reset('rm -rf dist');
  // npm pack bundles only real folders below the package: copy the bundled deps out of the hoisted install.
  if ((options.bundledDeps ?? []).length > 0) pkg.exec('node ../../scripts/bundle-deps.js');
  pkg.exec('jsii-pacmak --target js --target python');

  // projen's own `build` (locked) also runs the tests. For nx, `build` means compile + docs +
  // artifacts only, so tests are cached and run once, as their own target.
  const artifacts = project.addTask('build:artifacts', {
    description: 'Compile with jsii, generate API.md, package the npm tarball and the Python wheel',
  });
  artifacts.spawn(project.compileTask);
  artifacts.spawn(project.postCompileTask);
  artifacts.spawn(pkg);
  project.package.setScript('build', `projen ${artifacts.name}`);
  project.tasks.removeTask('compat'); // jsii-diff against a published version: none yet

  project.testTask.reset('jest --ci --coverage=false');

  project.gitignore.exclude('/test/python/__pycache__/', '.pytest_cache/');
  project.npmignore?.exclude('/test/python/');
  return project;
}
