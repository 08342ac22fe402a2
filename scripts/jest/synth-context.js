// jest `setupFiles` of every package and app (projenrc/construct-package.ts, reference-app.ts):
// the tests synthesize thousands of stacks, and by default aws-cdk-lib records a JavaScript stack
// trace for every construct it creates (`aws:cdk:creationStack` metadata in the cloud assembly)
// and every annotation. Under jest each trace is also rewritten through source maps: about a
// fifth of a synthesis (profiled on the ALB property test: 5.5 s of 28.6 s). No test reads those
// traces, and they change no template, so they are off, through the two switches aws-cdk-lib
// documents: the `aws:cdk:disable-creation-stack-traces` context (read by every App from
// CDK_CONTEXT_JSON, merged here with any context already set there) and CDK_DISABLE_STACK_TRACE.
// CDK_DEBUG=true turns both back on for a test that needs to see where a construct was made.
const context = process.env.CDK_CONTEXT_JSON ? JSON.parse(process.env.CDK_CONTEXT_JSON) : {};
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true, ...context });
process.env.CDK_DISABLE_STACK_TRACE ??= '1';
