import * as path from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { assemblyStacks, readTemplate } from './private/assembly';
import { CLIENT_FACING, clientImpact } from './private/client-impact';
import type * as analysis from './private/replacement-analysis';
import type * as trafficShift from './private/traffic-shift';
import { asJson, checkTemplateShape } from './private/template-shape';

/** What an update does to a resource that already exists. */
export enum UpdateChange {
  /** CloudFormation creates a new resource and deletes the old one (new physical id, new address or URL). */
  REPLACE = 'REPLACE',
  /** The resource may be replaced: it depends on the new value (the spec says "conditional"). */
  MAY_REPLACE = 'MAY_REPLACE',
  /** The resource (or, for `compareAssemblies`, the whole stack) is no longer in the template: it is deleted. */
  REMOVE = 'REMOVE',
  /** A stack only the new cloud assembly has (`compareAssemblies` only): always a note. */
  ADD_STACK = 'ADD_STACK',
  /**
   * Updated in place (same physical id). Reported only where an in-place write matters: the
   * production and test listener rules of a traffic-shifting ECS service (CloudFormation writes
   * the template's weights back over ECS's), the service losing its `AdvancedConfiguration`,
   * and `Custom::PortcullisProductionListenerRule` (a note: it keeps the live weights).
   */
  UPDATE = 'UPDATE',
}

/** Options of {@link UpdateSafety.compare} and {@link UpdateSafety.compareAssemblies}. */
export interface UpdateSafetyOptions {
  /**
   * Acknowledged findings, by logical id (any stack) or `<stack>/<logicalId>` (the stack's
   * artifact id or its path, e.g. `Prod/Api`); a removed stack by its artifact id or path.
   * Acknowledged findings are reported as notes. (`--allow` of `portcullis-audit diff`.)
   * @default - none: only template metadata acknowledges
   */
  readonly allow?: string[];
}

/** A resource an update replaces or removes (or a stack it adds or removes). */
export interface UpdateSafetyFinding {
  /**
   * The stack: its path (e.g. `Prod/Api`) or artifact id.
   * @default - none, for `compare` of two templates
   */
  readonly stack?: string;
  /** The resource's logical id (for a whole stack, the stack's artifact id). */
  readonly logicalId: string;
  /** The CloudFormation type (for a whole stack, `AWS::CloudFormation::Stack`). */
  readonly resourceType: string;
  /** What happens to it. */
  readonly change: UpdateChange;
  /**
   * Why: the properties whose change causes it (e.g. `Scheme`, `AutoScalingGroupProvider.AutoScalingGroupArn`),
   * `<property> references X, which is replaced`, or `removed from the template`.
   */
  readonly reasons: string[];
  /** Whether this breaks the stack's users (fixed IPs, URLs, DNS names, log history). */
  readonly breaksClients: boolean;
  /** What users lose, in words; for a note, why it is harmless. */
  readonly impact: string;
  /** Whether the finding is acknowledged (`allow` option, or the resource's metadata with a reason). */
  readonly acknowledged: boolean;
  /**
   * How it was acknowledged, e.g. `metadata: <reason>` or `--allow Eip1`.
   * @default - not acknowledged
   */
  readonly acknowledgement?: string;
}

/** The result of an update-safety comparison. */
export interface UpdateSafetyReport {
  /** Every replaced or removed resource (and added or removed stack): breaking ones first, then notes. */
  readonly findings: UpdateSafetyFinding[];
  /** The findings that fail: they break clients and are not acknowledged. */
  readonly breaking: UpdateSafetyFinding[];
  /** True when nothing breaking remains. */
  readonly passed: boolean;
  /** Problems that did not stop the comparison, e.g. an acknowledgement without a reason (which does not count). */
  readonly warnings: string[];
}

/**
 * Update safety: what a CloudFormation update of a stack would replace or remove, and
 * whether that breaks its users (a NAT Elastic IP partners allow-list, a load balancer's
 * or an HTTP API's URL, a VPC, a log group's history...).
 *
 * Replacements come from `@aws-cdk/cloudformation-diff` (the engine of `cdk diff`) and the
 * CloudFormation resource specification, then cascade: a resource whose create-only property
 * references (`Ref`, `Fn::GetAtt`, `Fn::Sub`) a replaced resource is replaced too.
 *
 * A resource acknowledges its own replacement or removal, with a reason, in its template
 * metadata: `{ 'portcullis:update-safety': { allowReplacement: true, reason: '...' } }`
 * (`UpdateSafety.allowReplacement(construct, reason)` writes it from CDK).
 */
export class UpdateSafety {
  /** The template metadata key read for acknowledgements. */
  public static readonly METADATA_KEY = 'portcullis:update-safety';

  /**
   * Compares two synthesized templates of one stack (the parsed JSON: before = deployed, after = new).
   *
   * The first call loads the CloudFormation resource specification (about a second).
   *
   * @throws when `before` or `after` is not a template (null, a list, a string of unparsed
   * JSON, a number, an object with keys that are not template sections, `Resources` that is
   * not an object, a resource without a string `Type`); the message names the argument.
   * `{}` is a template: the one CDK writes for a stack without resources.
   */
  public static compare(before: any, after: any, options: UpdateSafetyOptions = {}): UpdateSafetyReport {
    checkTemplateShape(before, 'UpdateSafety.compare: `before`');
    checkTemplateShape(after, 'UpdateSafety.compare: `after`');
    const warnings: string[] = [];
    const findings = compareTemplates(asJson(before, 'UpdateSafety.compare: `before`'), asJson(after, 'UpdateSafety.compare: `after`'), undefined, [], allowList(options), warnings);
    return report(findings, warnings);
  }

  /**
   * Compares two cloud assembly directories (`cdk.out`): every stack, also inside Stages
   * (nested assemblies), matched by artifact id. A stack only in `afterDir` is a note; a stack
   * only in `beforeDir` is a breaking finding (deleting it deletes its resources).
   *
   * @throws when a directory is not a cloud assembly, when a manifest or a template cannot be
   * read or is malformed (the message names the directory or file), or when a directory has no
   * stack (nothing to compare: a first deployment needs no gate, and removing every stack is
   * `cdk destroy`, not an update)
   */
  public static compareAssemblies(beforeDir: string, afterDir: string, options: UpdateSafetyOptions = {}): UpdateSafetyReport {
    for (const [name, dir] of [['beforeDir', beforeDir], ['afterDir', afterDir]]) {
      if (typeof dir !== 'string' || dir.trim() === '') {
        throw new Error(`UpdateSafety.compareAssemblies: \`${name}\` must be the path of a cloud assembly (cdk.out) directory, got ${JSON.stringify(dir) ?? String(dir)}`);
      }
    }
    const before = assemblyStacks(beforeDir);
    const after = assemblyStacks(afterDir);
    const empty = [[beforeDir, before], [afterDir, after]].filter(([, s]) => (s as Map<string, unknown>).size === 0).map(([d]) => d as string);
    if (empty.length > 0) {
      throw new Error(`${empty.join(' and ')} ${empty.length === 1 ? 'has' : 'have'} no stack: nothing to compare `
        + '(is it the cdk.out of an app with stacks? Run cdk synth). Comparing needs a stack on both sides: a first deployment replaces nothing, '
        + 'and an app without stacks deletes nothing on cdk deploy');
    }
    // every template is read and checked before any is compared: a malformed one fails the comparison, naming its file
    const templates = new Map<string, any>();
    for (const s of [...before.values(), ...after.values()]) templates.set(s.templateFile, readTemplate(s.templateFile));
    const allow = allowList(options);
    const warnings: string[] = [];
    const findings: UpdateSafetyFinding[] = [];
    for (const [id, oldStack] of before) {
      const newStack = after.get(id);
      const names = [id, oldStack.displayName];
      if (!newStack) {
        const template = templates.get(oldStack.templateFile);
        const facing = Object.entries<any>(template?.Resources ?? {}).filter(([, r]) => CLIENT_FACING[r?.Type]).map(([rid, r]) => `${rid} (${r.Type})`);
        const ack = allowed(allow, names, [id]);
        findings.push({
          stack: oldStack.displayName,
          logicalId: id,
          resourceType: 'AWS::CloudFormation::Stack',
          change: UpdateChange.REMOVE,
          reasons: ['the stack is no longer in the app'],
          breaksClients: true,
          impact: 'deleting the stack (cdk destroy, or a pipeline that prunes stacks) deletes its resources'
            + (facing.length ? `, including ${facing.join(', ')}` : ''),
          acknowledged: ack !== undefined,
          acknowledgement: ack,
        });
        continue;
      }
      findings.push(...compareTemplates(templates.get(oldStack.templateFile), templates.get(newStack.templateFile), newStack.displayName, names, allow, warnings));
    }
    for (const [id, newStack] of after) {
      if (before.has(id)) continue;
      findings.push({
        stack: newStack.displayName,
        logicalId: id,
        resourceType: 'AWS::CloudFormation::Stack',
        change: UpdateChange.ADD_STACK,
        reasons: ['the stack is new in the app'],
        breaksClients: false,
        impact: `a new stack (${path.basename(newStack.templateFile)}): nothing existing changes`,
        acknowledged: false,
      });
    }
    return report(findings, warnings);
  }

  /**
   * The template as ECS leaves it after a traffic-shifting deployment (canary, linear,
   * blue/green), to test an update from the live state: a copy in which every production
   * listener rule (an `AWS::ElasticLoadBalancingV2::ListenerRule` named by a service's
   * `LoadBalancers[].AdvancedConfiguration.ProductionListenerRule`) forwards weight 0 to the
   * service's `TargetGroupArn` and 100 to its `AlternateTargetGroupArn`. The rule carries
   * `portcullis:live-weights` metadata, so `compare(swapped, after)` knows its weights are the
   * live ones and judges the same writes as from the deployed template (a weight that differs
   * only because ECS moved it is not a change). `Custom::PortcullisProductionListenerRule`
   * rules hold no weights in the template and are left as they are.
   *
   * @param template a deployed template (the parsed JSON)
   * @throws when `template` is not a template, has no traffic-shifting service with a
   * production rule, or a production rule has no weighted forward to both groups
   */
  public static swapProductionWeights(template: any): any {
    const subject = 'UpdateSafety.swapProductionWeights: `template`';
    checkTemplateShape(template, subject);
    return shifts().swapProductionWeights(asJson(template, subject), subject);
  }

  /**
   * Acknowledges, in the template, that replacing or removing this resource is intended:
   * adds `{ 'portcullis:update-safety': { allowReplacement: true, reason } }` to the metadata
   * of `scope` (a CfnResource) or of its default child (e.g. the `AWS::EC2::EIP` of an L2).
   *
   * @param scope a CfnResource, or a construct whose `node.defaultChild` is one
   * @param reason why the replacement is fine (required: an acknowledgement without one does not count)
   */
  public static allowReplacement(scope: IConstruct, reason: string): void {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`UpdateSafety.allowReplacement(${scope.node.path}): \`reason\` must say why replacing it is fine, got '${reason}'`);
    }
    const child = scope.node.defaultChild;
    const resource = CfnResource.isCfnResource(scope) ? scope : child && CfnResource.isCfnResource(child) ? child : undefined;
    if (!resource) {
      throw new Error(`UpdateSafety.allowReplacement: ${scope.node.path} is not a CfnResource and has no CfnResource default child; `
        + 'pass the CfnResource itself (e.g. `construct.node.findChild(\'Resource\')`)');
    }
    resource.cfnOptions.metadata = {
      ...resource.cfnOptions.metadata,
      [UpdateSafety.METADATA_KEY]: { allowReplacement: true, reason },
    };
  }

  private constructor() {}
}

let analysisModule: typeof analysis | undefined;
/** The analysis (cloudformation-diff and the resource specification) loads on first use only. */
function analyzer(): typeof analysis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load in a synchronous API (import() is async)
  analysisModule ??= require('./private/replacement-analysis') as typeof analysis;
  return analysisModule;
}

let trafficShiftModule: typeof trafficShift | undefined;
/** The traffic-shift analysis (it uses cloudformation-diff too) loads on first use only. */
function shifts(): typeof trafficShift {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load in a synchronous API
  trafficShiftModule ??= require('./private/traffic-shift') as typeof trafficShift;
  return trafficShiftModule;
}

function allowList(options: UpdateSafetyOptions): string[] {
  return (options.allow ?? []).map((a) => String(a).trim()).filter((a) => a !== '');
}

/** The `allow` entry matching the finding, as the acknowledgement text. */
function allowed(allow: string[], stackNames: string[], ids: string[]): string | undefined {
  for (const a of allow) {
    for (const id of ids) {
      if (a === id || stackNames.some((s) => a === `${s}/${id}`)) return `--allow ${a}`;
    }
  }
  return undefined;
}

function compareTemplates(before: any, after: any, stack: string | undefined, stackNames: string[], allow: string[], warnings: string[]): UpdateSafetyFinding[] {
  const newResources = after?.Resources ?? {};
  const oldResources = before?.Resources ?? {};
  const changes = analyzer().analyze(before, after);
  // the resource verdicts, then the traffic-shift ones over them (a rule ECS shifts traffic on is breaking even when updated in place)
  const merged = new Map(changes.map((c) => {
    const { breaksClients, impact } = clientImpact(c.resourceType, c.change, c.retained);
    return [c.logicalId, { logicalId: c.logicalId, resourceType: c.resourceType, change: c.change, reasons: c.reasons, breaksClients, impact }];
  }));
  for (const t of shifts().trafficShiftFindings(before, after, changes)) {
    const base = merged.get(t.logicalId);
    merged.set(t.logicalId, {
      logicalId: t.logicalId,
      resourceType: base?.resourceType ?? t.resourceType,
      change: base?.change ?? t.change,
      reasons: [...new Set([...(base?.reasons ?? []), ...t.reasons])],
      breaksClients: t.breaking || (base?.breaksClients ?? false),
      impact: !base || t.breaking || !base.breaksClients ? t.impact : base.impact,
    });
  }
  return [...merged.values()].map((c) => {
    let acknowledgement = allowed(allow, stackNames, [c.logicalId]);
    // a removed resource acknowledges its removal with the metadata of the deployed template
    const source = c.change === 'REMOVE' ? oldResources : newResources;
    const meta = source[c.logicalId]?.Metadata?.[UpdateSafety.METADATA_KEY];
    if (!acknowledgement && meta && typeof meta === 'object' && meta.allowReplacement === true) {
      if (typeof meta.reason === 'string' && meta.reason.trim() !== '') acknowledgement = `metadata: ${meta.reason.trim()}`;
      else warnings.push(`${stack ? `${stack}/` : ''}${c.logicalId}: ${UpdateSafety.METADATA_KEY} metadata allows replacement without a reason, so it does not count; add reason: '...'`);
    }
    return {
      stack,
      logicalId: c.logicalId,
      resourceType: c.resourceType,
      change: UpdateChange[c.change],
      reasons: c.reasons,
      breaksClients: c.breaksClients,
      impact: c.impact,
      acknowledged: acknowledgement !== undefined,
      acknowledgement,
    };
  });
}

function report(findings: UpdateSafetyFinding[], warnings: string[]): UpdateSafetyReport {
  const rank = (f: UpdateSafetyFinding) => (f.breaksClients && !f.acknowledged ? 0 : f.breaksClients ? 1 : 2);
  const sorted = [...findings].sort((a, b) => rank(a) - rank(b)
    || (a.stack ?? '').localeCompare(b.stack ?? '') || a.logicalId.localeCompare(b.logicalId));
  const breaking = sorted.filter((f) => f.breaksClients && !f.acknowledged);
  return { findings: sorted, breaking, passed: breaking.length === 0, warnings };
}
