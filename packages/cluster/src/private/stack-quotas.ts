import { CfnElement, CfnOutput, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';

/**
 * CloudFormation's per-stack quotas, checked when the app is synthesized (after references
 * between stacks have added their outputs and parameters), before CloudFormation refuses the
 * template at deploy time:
 * - 500 resources ("Resources", not adjustable);
 * - 200 outputs ("Outputs");
 * - 200 parameters ("Parameters": each platform value a service reads is one);
 * - 1 MB of template in S3, where the CDK uploads every template over 51,200 bytes ("Template
 *   body size in an Amazon S3 object"), checked at 1,000,000 bytes of the JSON the CDK writes.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const STACK_QUOTAS = { resources: 500, outputs: 200, parameters: 200, templateBytes: 1_000_000 };

const WAY_OUT = 'put services in stacks of their own (an ApiService and what its ingresses create for it go to its stack; see the cluster README\'s "Services in stacks of their own"), or split this stack';

const CHECKED = new WeakSet<Stack>();

/** Adds the quota checks to `stack` (once). */
export function checkStackQuotas(stack: Stack): void {
  if (CHECKED.has(stack)) return;
  CHECKED.add(stack);
  stack.node.addValidation({ validate: () => stackQuotaErrors(stack) });
}

/** What of `stack` exceeds a quota, as messages naming the quota, the value and the way out. */
export function stackQuotaErrors(stack: Stack): string[] {
  const own = stack.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c) && c.stack === stack);
  const count = (type: (c: CfnElement) => boolean) => own.filter(type).length;
  const errors: string[] = [];
  const resources = count((c) => CfnResource.isCfnResource(c));
  if (resources > STACK_QUOTAS.resources) {
    errors.push(`Stack '${stack.node.path}' has ${resources} resources: CloudFormation allows at most ${STACK_QUOTAS.resources} per stack (quota "Resources", not adjustable): ${WAY_OUT}`);
  }
  const outputs = count((c) => c instanceof CfnOutput);
  if (outputs > STACK_QUOTAS.outputs) {
    errors.push(`Stack '${stack.node.path}' has ${outputs} outputs (its own and the exports other stacks of the app read): CloudFormation allows at most ${STACK_QUOTAS.outputs} (quota "Outputs"): ` +
      'let services of other stacks read the platform through its parameters (Platform.fromParameters, AlbIngress.fromParameters, ApiGatewayIngress.fromParameters: no export), or output less');
  }
  const parameters = count((c) => c instanceof CfnParameter);
  if (parameters > STACK_QUOTAS.parameters) {
    errors.push(`Stack '${stack.node.path}' has ${parameters} parameters (platform values read at deploy time count one each): CloudFormation allows at most ${STACK_QUOTAS.parameters} (quota "Parameters"): ${WAY_OUT}`);
  }
  if (errors.length === 0) {
    const bytes = templateBytes(stack);
    if (bytes !== undefined && bytes > STACK_QUOTAS.templateBytes) {
      errors.push(`The template of stack '${stack.node.path}' would be ${bytes} bytes: CloudFormation accepts at most 1 MB (quota "Template body size in an Amazon S3 object", checked here at ${STACK_QUOTAS.templateBytes} bytes): ${WAY_OUT}`);
    }
  }
  return errors;
}

/**
 * The size of the template as the CDK writes it (JSON, indented by one space). Reads the stack's
 * template through its `_toCloudFormation()`, the method the CDK synthesizes it with; undefined
 * if a future aws-cdk-lib renames it (the check is then skipped, CloudFormation still refuses).
 */
function templateBytes(stack: Stack): number | undefined {
  const render = (stack as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') return undefined;
  return Buffer.byteLength(JSON.stringify(render.call(stack), undefined, 1), 'utf8');
}
