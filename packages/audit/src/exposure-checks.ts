import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { nestedTemplates } from './private/assembly';
import { RULES } from './private/rules';
import { checkTemplateShape } from './private/template-shape';
import { own, TemplateIndex } from './private/template';

/** One finding of {@link ExposureChecks} in one template. */
export interface ExposureFinding {
  /** The rule, e.g. `Portcullis-SG1`. */
  readonly ruleId: string;
  /** The logical id of the offending resource in its template. */
  readonly resourceLogicalId: string;
  /** What is wrong. */
  readonly description: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether the resource acknowledges the rule in its template metadata (with a reason). */
  readonly acknowledged: boolean;
  /** The acknowledgement's reason, when acknowledged. */
  readonly reason?: string;
  /**
   * Set when the rule could not evaluate a value it needs (an intrinsic such as `Fn::If` or
   * `Fn::Select` where a literal or a list is expected, a `Ref` to a parameter without a
   * default, a null): `cannot evaluate <property> of <resource>: <why>`. The rules fail
   * closed: such a resource is a finding (acknowledge it with a reason once you have checked
   * every branch), never compliant.
   *
   * @default - the rule evaluated the resource and it violates the rule
   */
  readonly cannotEvaluate?: string;
}

/** A rule of the pack, for documentation and tooling. */
export interface ExposureRule {
  readonly id: string;
  readonly description: string;
  readonly fix: string;
}

/**
 * The Portcullis exposure rules: what a public API in private subnets must never have
 * (public tasks, all-protocol or over-wide security groups, public "private" subnets,
 * never-expiring logs, no deployment rollback (no circuit breaker, or no rollback alarms behind a load balancer), IMDSv1 or unencrypted launch templates,
 * unlogged HTTP API stages, public VPC links, alarms whose SNS topic policy does not let CloudWatch publish).
 *
 * A CDK policy-validation plugin, the way cdk-nag 3 plugs in:
 * `Validations.of(app).addPlugins(new ExposureChecks())` fails the synth on a finding.
 * Acknowledge one, with a reason, on the narrowest construct:
 * `Validations.of(construct).acknowledge({ id: 'portcullis-exposure::Portcullis-SG1', reason })`.
 * The rules read synthesized CloudFormation (resolving `Ref` and `Fn::GetAtt` between
 * resources of a template), so they judge any stack: CDK-made, `CfnInclude`d, or a file
 * (`checkTemplate`, and the `portcullis-audit` CLI). In a template, a resource acknowledges
 * a rule with `Metadata: { portcullis: { acknowledge: [{ id: 'Portcullis-SG1', reason: '...' }] } }`.
 */
export class ExposureChecks implements IPolicyValidationPlugin {
  /** Every rule of the pack. */
  public static rules(): ExposureRule[] {
    return RULES.map(({ id, description, fix }) => ({ id, description, fix }));
  }

  public readonly name = 'portcullis-exposure';
  public readonly ruleIds?: string[] = RULES.map((r) => r.id);

  /**
   * Checks one CloudFormation template (the parsed JSON); acknowledged findings are included and marked.
   *
   * @throws when `template` is not a template (null, a list, a string of unparsed JSON, an
   * object with keys that are not template sections, `Resources` that is not an object):
   * nothing checked is not "nothing found"
   */
  public checkTemplate(template: any): ExposureFinding[] {
    checkTemplateShape(template, 'ExposureChecks.checkTemplate: `template`', false);
    const index = new TemplateIndex(template);
    const findings: ExposureFinding[] = [];
    for (const rule of RULES) {
      for (const hit of rule.check(index)) {
        const ack = acknowledgement(index, hit.logicalId, rule.id);
        findings.push({
          ruleId: rule.id,
          resourceLogicalId: hit.logicalId,
          description: rule.description,
          fix: rule.fix,
          acknowledged: ack !== undefined,
          reason: ack,
          cannotEvaluate: hit.unknown,
        });
      }
    }
    return findings;
  }

  /**
   * Synthesizes the stack's app and checks the stack's template. For tests; prefer the
   * plugin during a real synth.
   */
  public checkStack(stack: Stack): ExposureFinding[] {
    const stage = Stage.of(stack);
    if (!stage) throw new Error(`Stack '${stack.node.path}' is not in an App or Stage: add it to one before checking it`);
    const artifact = stage.synth().getStackArtifact(stack.artifactId);
    return this.checkTemplate(artifact.template);
  }

  /**
   * Checks every stack under `scope` (synthesizing its app), the cdk-nag 3 way: the report
   * leaves out findings acknowledged with `Validations.of(construct).acknowledge(...)` on the
   * resource or one of its parents (id `portcullis-exposure::Portcullis-XXX` or `Portcullis-XXX`).
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const root = Stage.isStage(scope) ? scope : Stage.of(scope);
    if (!root) throw new Error(`'${scope.node.path}' is not in an App or Stage: add it to one before checking it`);
    root.synth(); // synthesizes the Stages under it too; each Stage keeps its assembly
    const report = new ReportBuilder();
    const stacks = [scope, ...scope.node.findAll()].filter((c): c is Stack => Stack.isStack(c));
    for (const stack of [...new Set(stacks)]) {
      const { template, templatePath } = synthesizedTemplate(stack);
      // logical id -> the construct behind it, to find acknowledgements in the tree
      const elements = new Map(stack.node.findAll()
        .filter((c): c is CfnElement => CfnElement.isCfnElement(c) && Stack.of(c) === stack)
        .map((c) => [stack.resolve(c.logicalId) as string, c as IConstruct]));
      for (const f of this.checkTemplate(template).filter((x) => !x.acknowledged)) {
        if (!acknowledgedInTree(elements.get(f.resourceLogicalId), f.ruleId, this.name)) report.add(f, templatePath);
      }
    }
    return report.build();
  }

  /**
   * Called by the CDK during synth with the paths of every stack template. The CDK passes
   * top-level stacks only: the templates of their nested stacks (`AWS::CloudFormation::Stack`
   * with `aws:asset:path` metadata, e.g. a `NestedStack`) are read from the cloud assembly and
   * checked too.
   *
   * @throws when a nested stack's template is not in the assembly (the message names the parent and the resource)
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = new ReportBuilder();
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
      const all = [{ templateFile: templatePath, template }, ...nestedTemplates(path.basename(templatePath), templatePath, template)];
      for (const { templateFile, template: t } of all) {
        for (const f of this.checkTemplate(t).filter((x) => !x.acknowledged)) report.add(f, templateFile);
      }
    }
    return report.build();
  }
}

/**
 * The synthesized template of a stack: a top-level stack (also one inside a Stage) from its
 * Stage's cloud assembly, a NestedStack from the file its parent's assembly holds.
 */
function synthesizedTemplate(stack: Stack): { template: any; templatePath: string } {
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`Stack '${stack.node.path}' is not in an App or Stage: add it to one before checking it`);
  const assembly = stage.synth();
  if (stack.nested) {
    const templatePath = path.join(assembly.directory, stack.templateFile);
    return { template: JSON.parse(fs.readFileSync(templatePath, 'utf8')), templatePath };
  }
  const artifact = assembly.getStackArtifact(stack.artifactId);
  return { template: artifact.template, templatePath: artifact.templateFullPath };
}

/** Groups findings into one violation per rule, as the CDK's validation report expects. */
class ReportBuilder {
  private readonly byRule = new Map<string, PolicyViolation>();

  public add(f: ExposureFinding, templatePath: string): void {
    // findings the rule could not evaluate are a violation of their own, saying so
    const key = f.cannotEvaluate ? `${f.ruleId} (cannot evaluate)` : f.ruleId;
    const violation = this.byRule.get(key) ?? {
      ruleName: f.ruleId,
      description: f.cannotEvaluate ? `Cannot tell whether this holds (the rules fail closed): ${f.description}` : f.description,
      fix: f.cannotEvaluate ? `Make the value a literal, or check every branch and acknowledge with a reason. ${f.fix}` : f.fix,
      severity: 'error',
      violatingResources: [],
    };
    violation.violatingResources.push({ resourceLogicalId: f.resourceLogicalId, templatePath, locations: [f.cannotEvaluate ?? 'Properties'] });
    this.byRule.set(key, violation);
  }

  public build(): PolicyValidationPluginReport {
    const violations = [...this.byRule.values()];
    return { success: violations.length === 0, violations };
  }
}

/** Whether `ruleId` is acknowledged (CDK Validations metadata) on the construct or a parent. */
function acknowledgedInTree(construct: IConstruct | undefined, ruleId: string, plugin: string): boolean {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      const ids = Object.keys(entry.data ?? {});
      if (ids.includes(ruleId) || ids.includes(`${plugin}::${ruleId}`)) return true;
    }
  }
  return false;
}

/** The reason a resource gives for acknowledging `ruleId` in its template metadata; throws if it gives none. */
function acknowledgement(index: TemplateIndex, logicalId: string, ruleId: string): string | undefined {
  const acks = own(index.resources, logicalId)?.Metadata?.portcullis?.acknowledge;
  if (!Array.isArray(acks)) return undefined;
  const ack = acks.find((a: any) => a && a.id === ruleId);
  if (!ack) return undefined;
  if (typeof ack.reason !== 'string' || ack.reason.trim().length === 0) {
    throw new Error(`Resource '${logicalId}' acknowledges ${ruleId} without a reason: add { id: '${ruleId}', reason: '<why this is acceptable>' }`);
  }
  return ack.reason;
}
