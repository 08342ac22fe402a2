import { JsonFile, TextFile, javascript } from 'projen';

/**
 * A rule this repository turns off (or does not adopt), and why. The list is written into
 * eslint.config.mjs as comments next to the setting, so the reason travels with the config;
 * the root README ("Working in the repo") repeats it.
 */
interface DisabledRule {
  readonly rule: string;
  /** Where it is off (glob patterns); everywhere when omitted. */
  readonly files?: string[];
  readonly reason: string;
}

/** TypeScript sources linted with type information (one program: tsconfig.eslint.json). */
const TS_FILES = [
  'packages/*/src/**/*.ts',
  'packages/*/test/**/*.ts',
  'apps/*/src/**/*.ts',
  'apps/*/test/**/*.ts',
  'projenrc/*.ts',
  '.projenrc.ts',
  'bench/*.ts',
];
// apps/reference-kit/src/testing.ts: the jest suites the apps' tests share.
const TEST_FILES = ['packages/*/test/**/*.ts', 'apps/*/test/**/*.ts', 'apps/reference-kit/src/testing.ts'];
const CONSTRUCT_SOURCES = ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'];

/** The unsafe-`any` family of typescript-eslint's type-checked rules. */
const UNSAFE_ANY = [
  '@typescript-eslint/no-explicit-any',
  '@typescript-eslint/no-unsafe-argument',
  '@typescript-eslint/no-unsafe-assignment',
  '@typescript-eslint/no-unsafe-call',
  '@typescript-eslint/no-unsafe-member-access',
  '@typescript-eslint/no-unsafe-return',
];

export const DISABLED_RULES: DisabledRule[] = [
  ...UNSAFE_ANY.map((rule) => ({
    rule,
    files: [...TEST_FILES, 'packages/audit/src/**/*.ts'],
    reason: 'tests and the audit package read synthesized CloudFormation templates, which are untyped JSON (aws-cdk-lib\'s Template.toJSON() is `{ [key: string]: any }`); a typed model of every template path is follow-up work (issue 16)',
  })),
  {
    rule: 'cdk/no-construct-in-public-property-of-construct',
    files: CONSTRUCT_SOURCES,
    reason: 'the public API deliberately exposes the concrete L2 constructs (loadBalancer, service, natInstance, flowLog...) as escape hatches; narrowing them to interfaces is a breaking API change (npm run api:compat) and hides members users need',
  },
  {
    rule: 'cdk/require-passing-this',
    files: CONSTRUCT_SOURCES,
    reason: 'constructs are also created by static `fromX(scope, id, ...)` factories and by private helpers that take the scope to build in (the aws-cdk-lib idiom); the rule cannot tell them from a constructor',
  },
  {
    rule: 'cdk/no-variable-construct-id',
    files: CONSTRUCT_SOURCES,
    reason: 'same idiom: a `fromX(scope, id, ...)` factory passes its caller\'s id through, and helpers create one shared construct per stack under a fixed id they first look up',
  },
];

/** projen's jsii conventions this repository keeps (the stylistic ones are left to reviewers). */
const PROJEN_CONVENTIONS: Record<string, unknown> = {
  'curly': ['error', 'multi-line', 'consistent'],
  'dot-notation': 'error',
  'no-duplicate-imports': 'error',
  'no-shadow': 'off',
  '@typescript-eslint/no-shadow': 'error',
  '@typescript-eslint/no-require-imports': 'error',
  'no-return-await': 'off',
  '@typescript-eslint/return-await': 'error',
  '@typescript-eslint/no-floating-promises': 'error',
};

const IGNORES = [
  '**/node_modules/', '**/lib/', '**/dist/', '**/cdk.out/', '**/coverage/', '**/*.d.ts',
  '**/*.snapshot/', '.nx/', 'python/', '.venv*/', 'packages/*/test/fixtures/',
];

function js(value: unknown): string {
  return JSON.stringify(value);
}

function offBlock(group: DisabledRule[], files?: string[]): string[] {
  const lines = ['  {'];
  if (files) lines.push(`    files: ${js(files)},`);
  lines.push('    rules: {');
  let previous: string | undefined;
  for (const d of group) {
    if (d.reason !== previous) lines.push(`      // ${d.reason}`);
    previous = d.reason;
    lines.push(`      ${js(d.rule)}: 'off',`);
  }
  lines.push('    },', '  },');
  return lines;
}

function configLines(): string[] {
  const lines = [
    '// One flat config for the whole repository: `npm run lint` (also run by `npm test`).',
    '// Written by projenrc/lint.ts; every rule that is off says why.',
    "import js from '@eslint/js';",
    "import cdk from 'eslint-cdk-plugin';",
    "import globals from 'globals';",
    "import tseslint from 'typescript-eslint';",
    '',
    'export default tseslint.config(',
    `  { ignores: ${js(IGNORES)} },`,
    '  {',
    '    // TypeScript: typescript-eslint\'s type-checked recommendations over ONE program',
    '    // (tsconfig.eslint.json maps @portcullis/* to the sibling sources, so no build is needed).',
    `    files: ${js(TS_FILES)},`,
    '    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],',
    "    languageOptions: { parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname } },",
    '    linterOptions: { reportUnusedDisableDirectives: \'error\' },',
    `    rules: ${js(PROJEN_CONVENTIONS)},`,
    '  },',
    '  {',
    '    // The construct sources: eslint-cdk-plugin\'s recommended rules.',
    `    files: ${js(CONSTRUCT_SOURCES)},`,
    '    plugins: cdk.configs.recommended.plugins,',
    '    rules: cdk.configs.recommended.rules,',
    '  },',
    '  {',
    '    // Node scripts (CommonJS).',
    "    files: ['scripts/**/*.js'],",
    '    extends: [js.configs.recommended],',
    "    languageOptions: { sourceType: 'commonjs', globals: globals.node },",
    "    linterOptions: { reportUnusedDisableDirectives: 'error' },",
    '  },',
  ];
  const byFiles = new Map<string, DisabledRule[]>();
  for (const d of DISABLED_RULES) {
    const key = js(d.files ?? null);
    byFiles.set(key, [...(byFiles.get(key) ?? []), d]);
  }
  for (const group of byFiles.values()) lines.push(...offBlock(group, group[0].files));
  lines.push(');');
  return lines;
}

/**
 * ESLint for the whole repository: one root flat config (projen's own Eslint component writes
 * a per-project legacy .eslintrc, which ESLint 10 no longer reads), one type-checking program,
 * and a root `lint` task that fails on any finding.
 */
export function repoLint(root: javascript.NodeProject) {
  new TextFile(root, 'eslint.config.mjs', {
    lines: ['// ~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".', ...configLines()],
  });
  new JsonFile(root, 'tsconfig.eslint.json', {
    obj: {
      extends: './tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        module: 'preserve',
        moduleResolution: 'bundler',
        types: ['node', 'jest'],
        // Lint the sources as they are: a sibling package resolves to its src, not its built lib.
        paths: {
          '@portcullis/network/lib/*': ['./packages/network/src/*'],
          '@portcullis/*': ['./packages/*/src'],
          '@portcullis-apps/reference-kit': ['./apps/reference-kit/src'],
          '@portcullis-apps/reference-kit/lib/*': ['./apps/reference-kit/src/*'],
        },
      },
      include: TS_FILES,
      exclude: ['**/node_modules', '**/cdk.out', '**/*.snapshot'],
    },
  });
  return root.addTask('lint', {
    description: 'ESLint over packages, apps, scripts, projenrc and bench (eslint.config.mjs); fails on any finding',
    exec: 'eslint --max-warnings 0 .',
  });
}
