import * as fs from 'fs';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';

/** One finding of {@link ExposureChecks} in one template. */
export interface ExposureFinding {
  /** The rule, e.g. `Portcullis-LOG1`. */
  readonly ruleId: string;
  /** The logical id of the offending resource in its template. */
  readonly resourceLogicalId: string;
  /** What is wrong. */
  readonly description: string;
  /** How to fix it. */
  readonly fix: string;
}

interface Rule {
  readonly id: string;
  readonly description: string;
  readonly fix: string;
  readonly resourceType: string;
  readonly check: (properties: Record<string, any>) => boolean; // true = compliant
}

const RULES: Rule[] = [
  {
    id: 'Portcullis-LOG1',
    description: 'A log group has no retention: its records are kept, and billed, forever (the seed patterns\' weakness).',
    fix: 'Set RetentionInDays (e.g. logs.RetentionDays.ONE_MONTH on the LogGroup, or logRetention on the construct that made it).',
    resourceType: 'AWS::Logs::LogGroup',
    check: (p) => p.RetentionInDays !== undefined,
  },
];

/**
 * The Portcullis exposure rules, as a CDK policy-validation plugin (the way cdk-nag 3 plugs
 * in): `Validations.of(app).addPlugins(new ExposureChecks())`, and the synth fails on a
 * finding. The rules read synthesized CloudFormation templates, so they judge any stack,
 * built with Portcullis or not.
 *
 * This release has one rule; the audit issue grows the pack.
 */
export class ExposureChecks implements IPolicyValidationPlugin {
  public readonly name = 'portcullis-exposure';
  public readonly ruleIds?: string[] = RULES.map((r) => r.id);

  /** Checks one CloudFormation template (the parsed JSON) and returns its findings. */
  public checkTemplate(template: any): ExposureFinding[] {
    const findings: ExposureFinding[] = [];
    const resources: Record<string, any> = (template && template.Resources) ?? {};
    for (const [logicalId, resource] of Object.entries(resources)) {
      for (const rule of RULES) {
        if (resource?.Type === rule.resourceType && !rule.check(resource.Properties ?? {})) {
          findings.push({ ruleId: rule.id, resourceLogicalId: logicalId, description: rule.description, fix: rule.fix });
        }
      }
    }
    return findings;
  }

  /** Called by the CDK during synth with the paths of every template. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const byRule = new Map<string, PolicyViolation>();
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
      for (const f of this.checkTemplate(template)) {
        const violation = byRule.get(f.ruleId) ?? {
          ruleName: f.ruleId,
          description: f.description,
          fix: f.fix,
          severity: 'error',
          violatingResources: [],
        };
        violation.violatingResources.push({ resourceLogicalId: f.resourceLogicalId, templatePath, locations: ['Properties'] });
        byRule.set(f.ruleId, violation);
      }
    }
    const violations = [...byRule.values()];
    return { success: violations.length === 0, violations };
  }
}
