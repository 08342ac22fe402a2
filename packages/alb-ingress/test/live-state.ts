import { createHash } from 'crypto';
import { onEvent, RuleProperties } from '../src/private/production-rule-handler';
import { PRODUCTION_RULE_TYPE } from '../src/private/production-rule';
import { SimulatedLoadBalancer } from './simulated-load-balancer';

/**
 * A deployed stack's load-balancer state, followed across CloudFormation updates: the
 * production rules (the custom resources' handler runs against a {@link SimulatedLoadBalancer}),
 * the target groups' ARNs (a create-only property change gives a new ARN, as a replacement
 * does), and where ECS keeps the service's tasks. `deploy(template)` plays what CloudFormation
 * does to the production rules between the last template and this one; `ecsDeployment()`
 * shifts every production rule as a finished canary/linear/blue-green deployment does (0/100).
 */
export class LiveState {
  public readonly elb = new SimulatedLoadBalancer();
  private template: any = { Resources: {} };
  private readonly ruleArns = new Map<string, string>();

  /** Deploys `template`: creates, updates and deletes the production rules as CloudFormation would. */
  public async deploy(next: any): Promise<void> {
    const before = this.template.Resources ?? {};
    const after = next.Resources ?? {};
    // CloudFormation's order: creates and updates first, deletes at clean-up.
    for (const [id, resource] of Object.entries<any>(after)) {
      if (resource.Type !== PRODUCTION_RULE_TYPE) continue;
      const props = this.resolve(after, resource.Properties);
      const old = before[id];
      if (!old) {
        this.ruleArns.set(id, (await onEvent({ RequestType: 'Create', ResourceProperties: props }, this.elb)).PhysicalResourceId);
      } else {
        const oldProps = this.resolve(before, old.Properties);
        if (JSON.stringify(oldProps) === JSON.stringify(props)) continue; // unchanged: CloudFormation leaves it alone
        const physicalId = this.ruleArns.get(id)!;
        const out = await onEvent({ RequestType: 'Update', PhysicalResourceId: physicalId, OldResourceProperties: oldProps, ResourceProperties: props }, this.elb);
        if (out.PhysicalResourceId !== physicalId) await onEvent({ RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: oldProps }, this.elb);
        this.ruleArns.set(id, out.PhysicalResourceId);
      }
    }
    for (const [id, resource] of Object.entries<any>(before)) {
      if (resource.Type !== PRODUCTION_RULE_TYPE || after[id]) continue;
      await onEvent({ RequestType: 'Delete', PhysicalResourceId: this.ruleArns.get(id)!, ResourceProperties: this.resolve(before, resource.Properties) }, this.elb);
      this.ruleArns.delete(id);
    }
    // The first deployment: ECS starts the tasks in each service's production group.
    if (Object.keys(before).length === 0) {
      for (const resource of Object.values<any>(after)) {
        if (resource.Type !== 'AWS::ECS::Service') continue;
        for (const lb of resource.Properties.LoadBalancers ?? []) this.elb.groupsWithTasks.add(this.arnOf(after, lb.TargetGroupArn.Ref));
      }
    }
    this.template = next;
  }

  /** ECS finishes a traffic-shifting deployment of every service: its tasks move to the other group (weights 0/100). */
  public ecsDeployment(): void {
    for (const arn of this.ruleArns.values()) this.elb.ecsShift(arn);
  }

  /** The production rules that send traffic to a target group without tasks, by logical id. */
  public rulesWithoutTasks(): string[] {
    return [...this.ruleArns.entries()]
      .filter(([, arn]) => this.elb.trafficOf(arn).some((group) => !this.elb.groupsWithTasks.has(group)))
      .map(([id]) => id);
  }

  /** The physical id (ARN) of a production rule, by logical id. */
  public ruleArn(logicalId: string): string {
    return this.ruleArns.get(logicalId)!;
  }

  /** The ARN a resource of the deployed template has. */
  public arn(logicalId: string): string {
    return this.arnOf(this.template.Resources, logicalId);
  }

  private resolve(resources: any, props: any): RuleProperties {
    const value = (v: any): any => {
      if (Array.isArray(v)) return v.map(value);
      if (v && typeof v === 'object' && 'Ref' in v) return this.arnOf(resources, v.Ref);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'ServiceToken').map(([k, x]) => [k, value(x)]));
      return typeof v === 'number' ? String(v) : v; // CloudFormation hands custom resources strings
    };
    return value(props);
  }

  /**
   * A resource's ARN: its logical id and a hash of its create-only properties, so that a
   * replaced resource (a target group with a new `Port`) gets a new ARN, as in AWS.
   */
  private arnOf(resources: any, logicalId: string): string {
    const resource = resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId}`);
    const createOnly = resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup'
      ? ['Port', 'Protocol', 'ProtocolVersion', 'TargetType', 'VpcId', 'Name'].map((k) => JSON.stringify(resource.Properties?.[k]))
      : [];
    const hash = createHash('sha256').update(createOnly.join('|')).digest('hex').slice(0, 8);
    const kind = resource.Type === 'AWS::ElasticLoadBalancingV2::Listener' ? 'listener/app/lb/1' : 'targetgroup';
    return `arn:aws:elasticloadbalancing:us-east-1:123456789012:${kind}/${logicalId}/${hash}`;
  }
}
