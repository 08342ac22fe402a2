// jest `setupFiles` of every package and app (projenrc/construct-package.ts, reference-app.ts):
// context for every App the tests create, through CDK_CONTEXT_JSON (read by every App; merged
// here with any context already set there, which wins): no stack traces. By default aws-cdk-lib
// records a JavaScript stack trace for every construct it creates (`aws:cdk:creationStack` metadata
// in the cloud assembly) and every annotation, and under jest each is rewritten through source
// maps: about a fifth of a synthesis (profiled on the ALB property test: 5.5 s of 28.6 s). No test
// reads them and they change no template: off, through the switches aws-cdk-lib documents (the
// `aws:cdk:disable-creation-stack-traces` context and CDK_DISABLE_STACK_TRACE). CDK_DEBUG=true
// turns both back on.
const context = process.env.CDK_CONTEXT_JSON ? JSON.parse(process.env.CDK_CONTEXT_JSON) : {};
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true, ...context });
process.env.CDK_DISABLE_STACK_TRACE ??= '1';
