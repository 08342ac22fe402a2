// jest `moduleNameMapper` target for `@aws/cloudformation-validate` (every package and app, from
// projenrc/construct-package.ts and reference-app.ts): the CloudFormation validator that
// aws-cdk-lib runs on every synthesized template (its built-in "CloudFormation Validate" plugin).
//
// aws-cdk-lib keeps ONE validation engine per process (CloudFormationValidatePlugin's singleton),
// built in about 3.4 s (a WebAssembly engine loading its rules and schemas). jest gives every test
// file a fresh module registry, so a package with 10 test files built it 10 times: about a fifth of
// the suite. This module is the real one with one change: an engine is built once per jest
// worker process for a given configuration and handed to every test file after the first, as
// aws-cdk-lib does within one process. The engine is stateless between validations (one call per
// template); validation itself is unchanged. scripts/jest/shared-engine.test.js proves that the
// second and later test files still fail on a template with an error (and that one engine serves them).
'use strict';
const path = require('path');

const validateDir = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'node_modules', '@aws', 'cloudformation-validate');
const real = require(path.join(validateDir, 'index.js'));

// A core module is the same object in every test file of a worker (jest sandboxes only user modules).
const shared = require('fs');
const KEY = Symbol.for('portcullis.jest.cloudformationValidateEngines');
const engines = shared[KEY] ?? (shared[KEY] = new Map());

class CompositeEngine {
  constructor(config) {
    const key = JSON.stringify(config ?? {});
    let engine = engines.get(key);
    if (engine === undefined) {
      engine = new real.CompositeEngine(config);
      // aws-cdk-lib frees an engine only when it is reconfigured; a freed shared engine must not be handed out again
      const free = engine.free.bind(engine);
      engine.free = () => {
        engines.delete(key);
        free();
      };
      engines.set(key, engine);
      // for scripts/jest/shared-engine.test.js: one line per engine built
      if (process.env.PORTCULLIS_JEST_ENGINE_LOG) shared.appendFileSync(process.env.PORTCULLIS_JEST_ENGINE_LOG, `${process.pid}\n`);
    }
    return engine;
  }
}

module.exports = { ...real, CompositeEngine };
