import { Component, JsonFile, TaskShell, TextFile, YamlFile, javascript, typescript } from 'projen';
import { REPO, constructPackage } from './projenrc/construct-package';
import { TASK_ENV } from './projenrc/subproject';
import { repoLint } from './projenrc/lint';
import { PinnedDependencies } from './projenrc/pinned-dependencies';
import { INTEG_DEPLOY_ARGS, INTEG_RUNNER, integUpdateCommand, referenceApp, referenceKit } from './projenrc/reference-app';
import { NODE, PY_PINS, pinned, requirementLines } from './projenrc/versions';

const root = new javascript.NodeProject({
  name: 'portcullis',
  description: 'AWS CDK constructs for public APIs whose containers live in private subnets',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: NODE.min, // engines.node: the supported lines (projenrc/versions.ts, NODE)
  license: 'Apache-2.0',
  copyrightOwner: REPO.author,
  repository: REPO.url,
  homepage: REPO.homepage,
  projenrcJs: false,
  jest: false,
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  // npm >= 11.16 asks for install scripts to be reviewed: nx and its file watcher install native binaries.
  allowScripts: ['nx', '@parcel/watcher'],
  // aws-cdk-lib and constructs at the root keep one hoisted copy for every workspace (and cdk-nag).
  devDeps: ['projen', 'typescript', 'ts-node', '@types/node', 'nx', 'jsii', 'jsii-rosetta', 'jsii-pacmak', 'jsii-docgen', 'jsii-diff', 'aws-cdk-lib', 'constructs',
    // One flat ESLint config for the whole repo (eslint.config.mjs, see projenrc/lint.ts).
    'eslint', '@eslint/js', 'typescript-eslint', 'eslint-cdk-plugin', 'globals'].map(pinned),
  gitignore: [
    '.nx/',
    'cdk.out/',
    '.venv*/',
    '__pycache__/',
    '.pytest_cache/',
    '*.tsbuildinfo',
    '/dist/',
  ],
});
root.package.addField('private', true);
root.package.addField('workspaces', ['packages/*', 'apps/*']);
new PinnedDependencies(root);
for (const [k, v] of Object.entries(TASK_ENV)) root.tasks.addEnvironment(k, v);

// .projenrc.ts is run by ts-node with explicit CommonJS settings (its defaults hit an ESM error).
const rc = new typescript.ProjenrcTs(root, { projenCodeDir: 'projenrc' });
rc.tsconfig.file.addOverride('compilerOptions', {
  module: 'commonjs',
  moduleResolution: 'node',
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
});

// Shared compiler options (jsii-compatible) that app and test tsconfigs extend.
new JsonFile(root, 'tsconfig.base.json', {
  obj: {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      lib: ['es2022'],
      strict: true,
      declaration: true,
      esModuleInterop: true,
      experimentalDecorators: true,
      inlineSourceMap: true,
      inlineSources: true,
      noEmitOnError: false,
      noFallthroughCasesInSwitch: true,
      noImplicitAny: true,
      noImplicitReturns: true,
      noImplicitThis: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      resolveJsonModule: true,
      strictNullChecks: true,
      strictPropertyInitialization: true,
      stripInternal: true,
      skipLibCheck: true,
    },
  },
});

// ---------------------------------------------------------------------------------------
// Layering (DESIGN.md "How the pieces fit"), checked by `npm test` (scripts/check-layering.js,
// which reads the generated scripts/layers.json). Every workspace is in exactly one layer, bottom
// first. A workspace may depend (dependencies, peerDependencies, devDependencies, and imports in
// its src/) only on workspaces of a LOWER layer: never up, never on a sibling of its own layer, so
// no two packages ever import each other and a change stays local for `nx affected`. A published
// package never depends on a private workspace (`"private": true`, the apps and their kit), the
// guard aws-cdk-cli's monorepo keeps. A new package or app must be placed here first.
const LAYERS: { readonly name: string; readonly members: string[] }[] = [
  // Below everything: reads any synthesized template; every package's tests may use it.
  { name: 'audit', members: ['@portcullis/audit'] },
  { name: 'network', members: ['@portcullis/network'] },
  // The clusters, the service, and the ingress contract that monitoring takes.
  { name: 'cluster', members: ['@portcullis/cluster'] },
  // Siblings: neither imports another. Monitoring takes the ingress contract defined in cluster,
  // not an ingress; the apps' kit composes only what every app uses (network, cluster).
  { name: 'ingresses', members: ['@portcullis/alb-ingress', '@portcullis/apigw-ingress', '@portcullis/monitoring', '@portcullis-apps/reference-kit'] },
  // Built on an ingress: CloudFront's VPC origin in front of an internal AlbIngress.
  { name: 'edge', members: ['@portcullis/cloudfront-ingress'] },
  // The reference environments compose the packages (apps/platform also holds the tests of the
  // two ingresses composed, since neither ingress package depends on the other); none depends on another.
  { name: 'apps', members: ['@portcullis-apps/fargate-alb-api', '@portcullis-apps/ec2-alb-api', '@portcullis-apps/fargate-apigw-api', '@portcullis-apps/fargate-cloudfront-api', '@portcullis-apps/platform', '@portcullis-apps/service-alb-canary', '@portcullis-apps/service-http-api'] },
];
new JsonFile(root, 'scripts/layers.json', { obj: { layers: LAYERS } });

// ---------------------------------------------------------------------------------------
// Packages
// No package's tests depend on audit or on a sibling the package does not build on (README
// "Working in the repo"): the update-safety tables, exposure-rule runs and cost checks of a
// package run in the apps that compose it with the audit, tests of two sibling packages in a
// reference app that composes both (apps/platform); scripts/graph/affected.test.js checks the result.
constructPackage(root, {
  name: 'network',
  description: 'The VPC of the private-API patterns: public and private subnets, cost-aware egress (NAT) and allow-listable egress IPs',
  keywords: ['vpc', 'nat'],
});
constructPackage(root, {
  name: 'cluster',
  description: 'Fargate and EC2 ECS clusters and the private API service (tasks in private subnets, no public IP)',
  siblings: ['network'],
  keywords: ['ecs'],
});
const albIngress = constructPackage(root, {
  name: 'alb-ingress',
  description: 'Internet-facing Application Load Balancer in front of private ECS services, least-privilege security groups and HTTPS',
  siblings: ['network', 'cluster'],
  keywords: ['alb', 'elbv2'],
});
// The production-rule custom resource's Lambda code is plain CommonJS in src/ (the tests use
// that folder as the code directory; jsii compiles only TypeScript): copy it into lib/.
albIngress.compileTask.exec('mkdir -p lib/private/production-rule-handler && cp src/private/production-rule-handler/index.js lib/private/production-rule-handler/index.js');
constructPackage(root, {
  name: 'apigw-ingress',
  description: 'API Gateway HTTP API with a VPC link and Cloud Map SRV records in front of private ECS services',
  siblings: ['network', 'cluster'],
  // No test dependency on alb-ingress or audit: the tests that need them (a service behind
  // both ingresses, the update-safety table) are in apps/platform and apps/fargate-apigw-api.
  keywords: ['apigateway', 'http-api', 'vpc-link', 'cloudmap'],
});
constructPackage(root, {
  name: 'audit',
  description: 'Exposure rules for private-API stacks (a CDK policy-validation plugin) and an idle-cost estimate of a synthesized app',
  keywords: ['cdk-nag', 'policy', 'cost'],
  bins: { 'portcullis-audit': 'lib/cli.js' },
  bundledDeps: ['@aws-cdk/cloudformation-diff', '@aws-cdk/aws-service-spec', '@aws-cdk/service-spec-types'],
});
constructPackage(root, {
  name: 'monitoring',
  description: 'Alarms and a CloudWatch dashboard for a private API: service, ingress (any IApiIngress: ALB, CloudFront, HTTP API) and NAT egress saturation',
  // The ingress is the IApiIngress contract of cluster: no ingress package. Its tests use a
  // double of the contract; those with real ingresses, the audit's tables and rules are in the apps.
  siblings: ['network', 'cluster'],
  peerDeps: ['cdk-monitoring-constructs'],
  keywords: ['cloudwatch', 'alarms', 'dashboard', 'monitoring'],
});
constructPackage(root, {
  name: 'cloudfront-ingress',
  description: 'CloudFront distribution with a VPC origin in front of an internal ALB: a public HTTPS API with nothing public in the VPC',
  siblings: ['network', 'cluster', 'alb-ingress'],
  keywords: ['cloudfront', 'vpc-origin', 'alb', 'https'],
});

// ---------------------------------------------------------------------------------------
// Reference apps
referenceKit(root);
referenceApp(root, {
  name: 'fargate-alb-api',
  description: 'Reference environment: public API on Fargate in private subnets behind an internet-facing ALB',
  uses: ['network', 'cluster', 'alb-ingress', 'monitoring', 'audit'],
});
const ec2AlbApi = referenceApp(root, {
  name: 'ec2-alb-api',
  description: 'Reference environment: public API on EC2 capacity in private subnets behind an internet-facing ALB',
  uses: ['network', 'cluster', 'alb-ingress', 'monitoring', 'audit'],
});
referenceApp(root, {
  name: 'fargate-apigw-api',
  description: 'Reference environment: public API on Fargate in private subnets behind an API Gateway HTTP API and a VPC link',
  uses: ['network', 'cluster', 'apigw-ingress', 'monitoring', 'audit'],
});
const fargateCloudFrontApi = referenceApp(root, {
  name: 'fargate-cloudfront-api',
  description: 'Reference environment: public API on Fargate in private subnets behind CloudFront and an internal ALB (VPC origin)',
  uses: ['network', 'cluster', 'alb-ingress', 'cloudfront-ingress', 'monitoring', 'audit'],
});
// Property tests moved from the packages with the audit (cluster's and cloudfront-ingress's
// exposure rules over random props) run on the same fixed, printed fast-check seed.
for (const app of [ec2AlbApi, fargateCloudFrontApi]) {
  app.addDevDeps(pinned('fast-check'));
  app.jest!.addSetupFile('<rootDir>/../../scripts/jest/fast-check-seed.js');
  app.package.file.addOverride('jest.globalSetup', '<rootDir>/../../scripts/jest/print-seed.js');
}
// A platform and the services that join it from CDK apps of their own (issue 25): the platform
// publishes its network, cluster, ALB and HTTP API in SSM parameters; each service app reads
// them at deploy time. No app depends on another: a change to one service app affects only it.
// The platform composes both ingresses, so the tests of one service behind both are there too.
referenceApp(root, {
  name: 'platform',
  description: 'Reference platform: one network, cluster, ALB and HTTP API that service apps of their own join (published in SSM parameters)',
  uses: ['network', 'cluster', 'alb-ingress', 'apigw-ingress', 'monitoring', 'audit'],
});
referenceApp(root, {
  name: 'service-alb-canary',
  description: 'Reference service app: a canary-deployed service joining the platform\'s ALB from its own CDK app',
  uses: ['network', 'cluster', 'alb-ingress', 'monitoring', 'audit'],
});
referenceApp(root, {
  name: 'service-http-api',
  description: 'Reference service app: a service joining the platform\'s HTTP API from its own CDK app',
  uses: ['network', 'cluster', 'apigw-ingress', 'monitoring', 'audit'],
});

// The subprojects do not install (the root does, once). projen reinstalls the root only when
// the root package.json changes, so also reinstall when a workspace's package.json changed:
// otherwise package-lock.json would fall out of sync and `npm ci` would refuse it.
class InstallWhenWorkspacesChange extends Component {
  public postSynthesize(): void {
    const changed = root.subprojects.some((p) => p instanceof javascript.NodeProject && p.package.file.changed);
    if (changed && !root.package.file.changed) {
      root.tasks.runTask(process.env.CI ? root.package.installCiTask.name : root.package.installTask.name);
    }
  }
}
new InstallWhenWorkspacesChange(root);

// ---------------------------------------------------------------------------------------
// nx: package-based; targets come from each workspace's package.json scripts.
new JsonFile(root, 'nx.json', {
  obj: {
    $schema: './node_modules/nx/schemas/nx-schema.json',
    // Per clone, never the shared ~/.nx: a fresh clone must not get cache hits.
    cacheDirectory: '.nx/cache',
    useDaemonProcess: false,
    defaultBase: 'main',
    parallel: 2,
    namedInputs: {
      // Generated outputs are never inputs, or every build would invalidate itself.
      default: [
        '{projectRoot}/**/*',
        '!{projectRoot}/lib/**',
        '!{projectRoot}/.jsii',
        '!{projectRoot}/tsconfig.json',
        '!{projectRoot}/dist/**',
        '!{projectRoot}/API.md',
        '!{projectRoot}/cdk.out/**',
        '!{projectRoot}/coverage/**',
        '!{projectRoot}/api-baseline.json', // read by api:compat only
        'sharedGlobals',
      ],
      sharedGlobals: ['{workspaceRoot}/tsconfig.base.json'],
      // Files outside the projects that a target reads: a change to one affects (nx affected) and
      // reruns every project whose target lists it.
      jestSetup: ['{workspaceRoot}/scripts/jest/**/*'],
      production: ['default', '!{projectRoot}/test/**/*', '!{projectRoot}/README.md'],
    },
    targetDefaults: {
      // Packages: jsii compile, examples (rosetta tablet and its cache); apps: type check.
      build: {
        cache: true,
        dependsOn: ['^build'],
        inputs: ['default', '^production'],
        outputs: ['{projectRoot}/lib', '{projectRoot}/.jsii', '{projectRoot}/.jsii.tabl.json', '{projectRoot}/rosetta/cache.tabl.json'],
      },
      // Packages: API.md (TypeScript and Python) from the build's .jsii and tablet.
      docgen: {
        cache: true,
        dependsOn: ['build'],
        inputs: ['default', '^production', '{workspaceRoot}/scripts/docgen.js'],
        outputs: ['{projectRoot}/API.md'],
      },
      // Packages: the npm tarball and the Python wheel + sdist (jsii-pacmak) from the build's
      // output. Only the release builds them (scripts/release/release.js; npm test's dry run).
      package: {
        cache: true,
        dependsOn: ['build'],
        inputs: ['default', '^production', '{workspaceRoot}/scripts/bundle-deps.js'],
        outputs: ['{projectRoot}/dist'],
      },
      test: {
        cache: true,
        dependsOn: ['^build'],
        inputs: ['default', '^production', 'jestSetup'],
        outputs: [],
      },
      // Packages: the built .jsii against the committed api-baseline.json (scripts/api-compat.js).
      // Not cached: it also reads the git history (a refreshed baseline needs a BREAKING CHANGE commit).
      'api:compat': {
        cache: false,
        dependsOn: ['build'],
        inputs: ['production', '{projectRoot}/api-baseline.json', '{workspaceRoot}/scripts/api-compat.js'],
      },
      synth: {
        cache: true,
        dependsOn: ['^build'],
        inputs: ['default', '^production'],
        outputs: ['{projectRoot}/cdk.out'],
      },
    },
  },
});

// Python requirement files, generated from the pins.
new TextFile(root, 'python/requirements-test.txt', { lines: requirementLines(PY_PINS.test) });
new TextFile(root, 'python/requirements-cfn-lint.txt', { lines: requirementLines(PY_PINS.cfnLint) });
new TextFile(root, 'python/requirements-checkov.txt', { lines: requirementLines(PY_PINS.checkov) });

// ---------------------------------------------------------------------------------------
// Root tasks: the README's two commands and the nx entry points.
root.addTask('build:all', { description: 'Build every package (jsii, examples, API.md) and type-check the apps through nx (packaging: nx run-many -t package)', exec: 'nx run-many -t build docgen' });
// `npm run affected`: the pull-request workflow's steps, for what a change affects (README "CI").
root.addTask('affected', {
  description: 'What the pull-request workflow runs, for the projects a change affects (nx affected; base: the merge base with main, --base/--head pass through): lint, build, docgen, test, synth, API compatibility, cfn-lint/checkov, Python tests and artifact installs, update-safety diff',
  exec: 'node scripts/affected.js',
  receiveArgs: true,
});
root.addTask('test:explore', {
  description: 'Run every package\'s jest tests with a random fast-check seed per test file (npm test uses a fixed one); a failure prints the seed to rerun with FC_SEED=<seed>',
  env: { FC_SEED: 'random' },
  exec: 'nx run-many -t test --skip-nx-cache',
  receiveArgs: true,
});
const synth = root.addTask('synth', { description: 'Build the packages and synthesize every app into apps/*/cdk.out, then summarize' });
synth.exec('nx run-many -t synth');
synth.exec('node scripts/synth-summary.js');

// Deploy evidence (README "Deploy evidence"): the apps' integ tests, one integ-runner over apps/.
// Snapshots are checked by each app's `test` target (`integ:snapshot`).
// Update safety (README "Update safety"): what a change would replace in every deployed app.
root.addTask('diff:apps', {
  description: 'Synthesize every app at a base commit (default: the merge base with main) and here, then portcullis-audit diff each (exit 1 on a breaking replacement)',
  exec: 'bash scripts/diff-apps.sh',
  receiveArgs: true,
});
root.addTask('integ:update', {
  description: 'Build the packages, then rewrite every app\'s integ snapshots that no longer match the code (no AWS account, never deploys), then check them',
  shell: TaskShell.sh(),
  steps: [{ exec: 'nx run-many -t build' }, { exec: integUpdateCommand('--directory apps') }],
});
root.addTask('integ', {
  description: 'Build the packages, then deploy each app\'s integ test in your account (AWS_PROFILE, AWS_REGION; cdk bootstrap first), assert through the internet, destroy',
  shell: TaskShell.sh(),
  steps: [{ exec: 'nx run-many -t build' }, { exec: `${INTEG_RUNNER} --directory apps ${INTEG_DEPLOY_ARGS}`, receiveArgs: true }],
});

// Lint (README "Working in the repo"): one flat ESLint config for every package, app and script.
const lint = repoLint(root);

// Benchmark (a script, not a test): our apps vs aws-ecs-patterns / aws-apigatewayv2 peers.
new JsonFile(root, 'bench/tsconfig.json', {
  obj: {
    extends: '../tsconfig.base.json',
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0', noUnusedLocals: false, rootDir: '..', noEmit: true },
    include: ['*.ts'],
  },
});
root.addTask('bench', {
  description: 'Synth CPU time of each reference app vs an equivalent aws-ecs-patterns / aws-apigatewayv2 stack (bench/RESULTS.md)',
  exec: 'nx run-many -t build && ts-node --transpile-only -P bench/tsconfig.json bench/run.ts',
});

// API compatibility (README "Releasing"): committed baselines, checked by npm test.
root.addTask('api:baseline', {
  description: 'Build the packages, then write each package\'s api-baseline.json from its .jsii (accept a deliberate BREAKING CHANGE; the release does it when it tags)',
  steps: [{ exec: 'nx run-many -t build' }, { exec: 'node scripts/api-compat.js baseline' }],
});
root.addTask('api:compat', {
  description: 'Check every package\'s public API against its api-baseline.json (build the packages first)',
  exec: 'node scripts/api-compat.js check',
});

// Releasing (see README "Releasing"): versions from conventional commits, artifacts, checks.
root.addTask('release', {
  description: 'Compute next versions from conventional commits, build npm + PyPI artifacts into dist/release, tag (use -- --dry-run to only build)',
  exec: 'node scripts/release/release.js',
  receiveArgs: true,
});
root.addTask('verify:artifacts', {
  description: 'Release dry run, then install the artifacts outside the monorepo (npm and a fresh venv), synthesize a stack using every package, and run every package\'s Python tests in that venv',
  exec: 'bash scripts/release/verify-artifacts.sh',
});

// ---------------------------------------------------------------------------------------
// GitHub Actions for the public repository (they cannot run here; .ci/run is the local gate).
// What runs where (README "CI"):
// - pull requests: only what the change affects (nx affected against the merge base), so a
//   change to one ingress rebuilds and retests that ingress, what is built on it and the apps
//   that compose it, not the whole repository; on every supported Node line;
// - pushes to main, every night and on demand: the whole pyramid (npm test, as .ci/run), on
//   every supported Node line; the nightly and manual runs start from an empty nx cache, so they
//   also catch what changed outside the repository (registries, PyPI, the runners);
// - releases (manual): on the newest supported line.
// The Node lines are NODE.lines (projenrc/versions.ts); a new LTS line is added there.
const checkout = { name: 'Check out', uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } };
const MATRIX_NODE = '${{ matrix.node }}';
const setupNode = (version: string) => ({ name: `Set up Node ${version}`, uses: 'actions/setup-node@v4', with: { 'node-version': version, 'cache': 'npm' } });
const setupPython = { name: 'Set up Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.11' } };
const RELEASE_NODE = NODE.lines[NODE.lines.length - 1];
// One job per supported Node line (adding a line to NODE.lines adds a job).
const nodeMatrix = { 'fail-fast': false, 'matrix': { node: NODE.lines } };
const nxCache = {
  name: 'Keep the nx cache between runs',
  uses: 'actions/cache@v4',
  with: { 'path': '.nx/cache', 'key': `nx-\${{ runner.os }}-node${MATRIX_NODE}-\${{ github.sha }}`, 'restore-keys': `nx-\${{ runner.os }}-node${MATRIX_NODE}-` },
};
const env = { NX_NO_CLOUD: 'true' };
const noDiff = {
  name: 'Generated files are current (npx projen leaves no diff)',
  run: 'PROJEN_DISABLE_POST=true npx projen && git diff --exit-code',
};
const apiMdCurrent = {
  name: 'API.md files and example caches are current',
  run: 'git diff --exit-code -- \'*API.md\' \'packages/*/rosetta/cache.tabl.json\' || { echo "The build regenerated API.md files or example caches: build and commit them"; exit 1; }',
};
// The same pyramid as .ci/run: npm test (lint, layering, jest, synth, API compatibility, README
// commands and costs, cfn-lint, checkov, artifact installs and Python tests), then the committed
// API.md files must be current.
const pyramid = [{ name: 'The test pyramid (npm test, as .ci/run)', run: 'npm test' }, apiMdCurrent];
/**
 * The repository scripts' own tests (node --test), run by npm test and by every pull request:
 * every scripts/*.test.js and scripts/<dir>/*.test.js (not the jest fixtures one level deeper).
 * Files, expanded by the shell: Node >= 22 reads a directory argument as a module to run, not
 * a folder to search (Node 20 searched it).
 */
const SCRIPT_TESTS = 'node --test scripts/*.test.js scripts/*/*.test.js';
/**
 * The scripts are an nx project of their own (`@portcullis-tools/scripts`, scripts/project.json;
 * not an npm workspace, nothing to build or publish): its `test` target runs SCRIPT_TESTS, so
 * `nx run-many -t test` runs them with the other projects' tests, nx caches the result, and
 * `nx affected` runs them only when a change touches what they read. Their inputs are declared:
 * the scripts themselves (the layers and the jest setup included), and the workspace files they
 * judge: the package.json files nx builds its graph from and whose jest settings they check,
 * nx.json, the projen configuration. A change to any of them marks the project affected (nx
 * matches changed files against every project's inputs). A package's sources are not among them:
 * an import a package.json does not declare is what scripts/check-layering.js refuses, and it
 * runs on every change.
 */
new JsonFile(root, 'scripts/project.json', {
  obj: {
    name: '@portcullis-tools/scripts',
    root: 'scripts',
    targets: {
      test: {
        command: SCRIPT_TESTS,
        options: { cwd: '{workspaceRoot}' },
        cache: true,
        inputs: [
          '{projectRoot}/**/*',
          '{workspaceRoot}/package.json', '{workspaceRoot}/package-lock.json', '{workspaceRoot}/nx.json',
          '{workspaceRoot}/packages/*/package.json', '{workspaceRoot}/apps/*/package.json',
          '{workspaceRoot}/.projenrc.ts', '{workspaceRoot}/projenrc/**/*',
        ],
        outputs: [],
      },
    },
  },
});

/**
 * The pull-request job's steps after the install, in order. `npm run affected` runs the same
 * steps (the root task `affected:steps`, through scripts/affected.js, which sets the base).
 * nx reads the base and head from NX_BASE / NX_HEAD; the scripts ask nx for the same list
 * (`nx show projects --affected`), so every step sees one set of affected projects.
 */
const AFFECTED_STEPS: { readonly name: string; readonly run: string; readonly oneNodeLine?: boolean }[] = [
  { name: 'The projects this change affects', run: 'npx nx show projects --affected' },
  // Whole-repository checks that need no build and take seconds.
  // The scripts' own tests are the `test` target of @portcullis-tools/scripts (nx affected below).
  { name: 'Layering of the package graph (scripts/layers.json)', run: 'node scripts/check-layering.js' },
  { name: 'ESLint over the affected projects, the scripts and projenrc', run: 'node scripts/affected.js lint' },
  { name: 'nx affected: build, API.md, tests (jest and integ snapshots), synth, API compatibility', run: 'npx nx affected -t build docgen test synth api:compat --output-style=static' },
  apiMdCurrent,
  { name: 'cfn-lint and checkov over the affected apps\' templates', run: 'node scripts/affected.js validate' },
  { name: 'Python tests and artifact installs of the affected packages', run: 'node scripts/affected.js artifacts' },
  // Templates do not depend on the Node line: one line is enough (it synthesizes the base too).
  { name: 'Update safety: what the change would replace in the affected apps (portcullis-audit diff against the merge base)', run: 'node scripts/affected.js diff', oneNodeLine: true },
];
root.addTask('affected:steps', {
  description: 'The pull-request workflow\'s steps (run them through `npm run affected`, which sets the base)',
  steps: AFFECTED_STEPS.map((step) => ({ name: step.name, exec: step.run })),
});
new TextFile(root, '.nvmrc', { lines: [NODE.ci] }); // nvm, fnm, volta; .ci/run tests on this version

new YamlFile(root, '.github/workflows/pull-request.yml', {
  obj: {
    name: 'pull-request',
    on: { pull_request: { branches: ['main'] } },
    permissions: { contents: 'read' },
    jobs: {
      affected: {
        'name': `affected (Node ${MATRIX_NODE})`,
        'runs-on': 'ubuntu-latest',
        'strategy': nodeMatrix,
        env,
        'steps': [checkout, setupNode(MATRIX_NODE), setupPython, nxCache, { run: 'npm ci' }, noDiff,
          {
            // The checkout is the pull request merged into main: its merge base with main is main.
            name: 'Compare with the merge base (nx affected reads NX_BASE and NX_HEAD)',
            run: 'echo "NX_BASE=$(git merge-base origin/main HEAD)" >> "$GITHUB_ENV" && echo "NX_HEAD=HEAD" >> "$GITHUB_ENV"',
          },
          ...AFFECTED_STEPS.map((step) => ({
            name: step.name,
            ...(step.oneNodeLine ? { if: `matrix.node == '${RELEASE_NODE}'` } : {}),
            run: step.run,
          }))],
      },
    },
  },
});
new YamlFile(root, '.github/workflows/main.yml', {
  obj: {
    name: 'main',
    on: {
      'push': { branches: ['main'] },
      'schedule': [{ cron: '17 3 * * *' }], // nightly
      'workflow_dispatch': {},
    },
    permissions: { contents: 'read' },
    jobs: {
      pyramid: {
        'name': `npm test (Node ${MATRIX_NODE})`,
        'runs-on': 'ubuntu-latest',
        'strategy': nodeMatrix,
        env,
        // npm test ends with verify:artifacts: the release dry run, its metadata checks, the installs, the Python tests.
        'steps': [checkout, setupNode(MATRIX_NODE), setupPython,
          { ...nxCache, if: 'github.event_name == \'push\'' }, // nightly and manual runs: empty cache
          { run: 'npm ci' }, noDiff, ...pyramid],
      },
    },
  },
});
new YamlFile(root, '.github/workflows/release.yml', {
  obj: {
    name: 'release',
    on: { workflow_dispatch: {} },
    permissions: { contents: 'read' },
    jobs: {
      build: {
        'runs-on': 'ubuntu-latest',
        env,
        'permissions': { contents: 'write' }, // push the tags
        'steps': [checkout, setupNode(RELEASE_NODE), setupPython, { run: 'npm ci' }, noDiff,
          { name: 'Version, build, tag', run: 'git config user.name "portcullis-release" && git config user.email "release@users.noreply.github.com" && npm run release && git push origin HEAD:main && git push --tags' },
          { name: 'Check the artifacts\' metadata', run: 'node scripts/release/check-metadata.js dist/release' },
          { uses: 'actions/upload-artifact@v4', with: { name: 'release', path: 'dist/release' } }],
      },
      npm: {
        'needs': 'build',
        'runs-on': 'ubuntu-latest',
        'permissions': { 'id-token': 'write', 'contents': 'read' }, // npm trusted publishing (OIDC)
        'steps': [{ uses: 'actions/setup-node@v4', with: { 'node-version': RELEASE_NODE, 'registry-url': 'https://registry.npmjs.org' } },
          { uses: 'actions/download-artifact@v4', with: { name: 'release', path: 'dist/release' } },
          { name: 'Publish the bumped packages to npm', run: 'node -e "for (const p of require(\'./dist/release/manifest.json\').packages.filter(p => p.bumped)) for (const f of p.js) console.log(\'dist/release/\' + f)" | xargs -r -n1 npm publish --access public --provenance' }],
      },
      pypi: {
        'needs': 'build',
        'runs-on': 'ubuntu-latest',
        'environment': 'pypi',
        'permissions': { 'id-token': 'write' }, // PyPI trusted publishing (OIDC)
        'steps': [{ uses: 'actions/download-artifact@v4', with: { name: 'release', path: 'dist/release' } },
          { name: 'Collect the bumped packages\' wheels and sdists', run: 'mkdir -p dist/pypi && node -e "for (const p of require(\'./dist/release/manifest.json\').packages.filter(p => p.bumped)) for (const f of p.python) console.log(\'dist/release/\' + f)" | xargs -r -I{} cp {} dist/pypi/' },
          { uses: 'pypa/gh-action-pypi-publish@release/v1', with: { 'packages-dir': 'dist/pypi' } }],
      },
    },
  },
});

root.testTask.reset();
root.testTask.description = 'The whole test pyramid: eslint, jest (with cdk-nag), app synth, API compatibility, README commands and costs, Python, cfn-lint, checkov, artifacts';
root.testTask.spawn(lint); // first: it needs no build and fails fast
root.testTask.exec('node scripts/check-layering.js'); // the package graph keeps DESIGN.md's layers (scripts/layers.json)
root.testTask.exec('nx run-many -t build docgen test synth');
root.testTask.exec('node scripts/synth-summary.js');
root.testTask.exec('node scripts/api-compat.js check');
// The README commands and costs, and cfn-lint/checkov over the templates, side by side (neither
// writes what the other reads; the judges mostly install their venvs meanwhile).
root.testTask.exec('bash scripts/readme-and-templates.sh');
// Last: the release dry run builds the wheels (nx target `package`, at the release versions),
// installs them in a fresh venv, and runs every package's Python tests there
// (scripts/test-python.sh): the wheels are built once and installed once.
root.testTask.spawn(root.tasks.tryFind('verify:artifacts')!);

root.synth();
