import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ApiService, IngressMonitoring, IPlatform } from '@portcullis/cluster';
import { PlatformParameters } from '@portcullis/network';
import { wholeNumber } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';
import type { AlbIngressFromParametersProps, AlbServiceOptions, IAlbIngress } from '../alb-ingress';
import { albMonitoring } from './monitoring';
import { DEFAULT_RULES_PER_LOAD_BALANCER, DEFAULT_RULES_PER_SECURITY_GROUP, ServiceAttacher, ServicePlacement } from './service-attacher';
import { TrafficShift } from './traffic-shift';

/** The parameter keys of a published AlbIngress, under `ingress/<ingressName>/`. */
export const ALB_KEYS = {
  listenerArn: 'listener-arn',
  testListenerArn: 'test-listener-arn',
  securityGroupId: 'security-group-id',
  loadBalancerArn: 'load-balancer-arn',
  loadBalancerFullName: 'load-balancer-full-name',
  dnsName: 'dns-name',
  shape: 'shape',
};

/** The published form of what a service synthesizes for: `testListener=true,vpcEgressPorts=80;8080`. */
export function albShape(testListener: boolean, vpcEgressPorts: number[] | undefined): string {
  return `testListener=${testListener},vpcEgressPorts=${vpcEgressPorts ? vpcEgressPorts.join(';') : 'perService'}`;
}

/**
 * An AlbIngress of a platform, read from its parameters in a service's stack (no
 * CloudFormation export): `addService` creates the service's target groups, rules, alarms and
 * security-group rules in the service's stack, as for a service of another stack in the
 * platform's app, through stand-ins of the published load balancer group and listeners.
 */
export class ImportedAlbIngress extends Construct implements IAlbIngress {
  private readonly trafficShift: TrafficShift;
  private readonly attacher: ServiceAttacher;
  private readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  private readonly placements = new Map<Construct, ServicePlacement>();

  constructor(scope: Construct, id: string, props: AlbIngressFromParametersProps) {
    super(scope, id);
    const platform: IPlatform = props.platform;
    const ingressName = props.ingressName ?? 'alb';
    wholeNumber('rulesPerLoadBalancerQuota', props.rulesPerLoadBalancerQuota, { min: 1, fix: 'give this account\'s value of the quota "Rules per Application Load Balancer" (100 unless raised)' });
    const testListener = props.testListener ?? false;
    const value = (key: string) => PlatformParameters.valueAtDeploy(this, platform.platformName, `ingress/${ingressName}/${key}`);
    PlatformParameters.expectValue(this, platform.platformName, `ingress/${ingressName}/${ALB_KEYS.shape}`, albShape(testListener, props.vpcEgressPorts),
      'give AlbIngress.fromParameters the `testListener` and `vpcEgressPorts` of the platform\'s AlbIngress, then synthesize and deploy again');
    const securityGroupId = value(ALB_KEYS.securityGroupId);
    const listenerArn = value(ALB_KEYS.listenerArn);
    const testListenerArn = testListener ? value(ALB_KEYS.testListenerArn) : undefined;
    const loadBalancerFullName = value(ALB_KEYS.loadBalancerFullName);
    this.loadBalancer = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(this, 'LoadBalancer', {
      loadBalancerArn: value(ALB_KEYS.loadBalancerArn),
      securityGroupId,
      vpc: platform.network.vpc,
    });
    // for this stack's services: stand-ins in this construct (the shared placement)
    const shared = this.standIns(this, '', securityGroupId, listenerArn, testListenerArn, props.vpcEgressPorts !== undefined);
    this.trafficShift = new TrafficShift(this, loadBalancerFullName, shared.listener, shared.testListener);
    this.attacher = new ServiceAttacher({
      owner: this,
      network: platform.network,
      trafficShift: this.trafficShift,
      defaultDeregistrationDelay: Duration.seconds(0),
      placementFor: (service) => {
        if (Stack.of(service) === Stack.of(this)) return shared;
        const existing = this.placements.get(service);
        if (existing) return existing;
        let childId = this.node.id;
        for (let n = 2; service.node.tryFindChild(childId); n++) childId = `${this.node.id}${n}`;
        const placement = this.standIns(new Construct(service, childId), '', securityGroupId, listenerArn, testListenerArn, props.vpcEgressPorts !== undefined);
        this.placements.set(service, placement);
        return placement;
      },
      allowToTarget: () => { /* every service has a placement */ },
      hasTestListener: testListener,
      rulesQuota: props.rulesPerLoadBalancerQuota ?? DEFAULT_RULES_PER_LOAD_BALANCER,
      securityGroupRulesQuota: DEFAULT_RULES_PER_SECURITY_GROUP,
      vpcEgressPorts: props.vpcEgressPorts,
    });
  }

  public addService(service: ApiService, options: AlbServiceOptions): elbv2.ApplicationTargetGroup {
    return this.attacher.addService(service, options);
  }

  public targetGroupsFor(service: ApiService): elbv2.ApplicationTargetGroup[] {
    return this.attachmentsOf(service).map((a) => a.targetGroup);
  }

  public alternateTargetGroupsFor(service: ApiService): elbv2.ApplicationTargetGroup[] {
    return this.attachmentsOf(service).flatMap((a) => (a.alternateTargetGroup ? [a.alternateTargetGroup] : []));
  }

  public rollbackAlarmsFor(service: ApiService): cloudwatch.IAlarm[] {
    return this.attachmentsOf(service).flatMap((a) => a.alarms);
  }

  public monitoringFor(scope: Construct, service: ApiService): IngressMonitoring {
    const groups = this.attachmentsOf(service).flatMap((a) => (a.alternateTargetGroup ? [a.targetGroup, a.alternateTargetGroup] : [a.targetGroup]));
    return albMonitoring(scope, this.loadBalancer, service, groups);
  }

  private attachmentsOf(service: ApiService) {
    const attachments = this.trafficShift.attachmentsOf(service);
    if (attachments.length === 0) {
      throw new Error(`\`service\` '${service.node.path}' is not attached to the AlbIngress '${this.node.path}': attach it with \`addService\` first`);
    }
    return attachments;
  }

  /** Stand-ins of the published group and listeners in `scope` (rules through them go there). */
  private standIns(scope: Construct, prefix: string, securityGroupId: string, listenerArn: string, testListenerArn: string | undefined, vpcEgress: boolean): ServicePlacement {
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(scope, `${prefix}LoadBalancerSecurityGroup`, securityGroupId, { allowAllOutbound: vpcEgress });
    const listener = (id: string, arn: string) => elbv2.ApplicationListener.fromApplicationListenerAttributes(scope, `${prefix}${id}`, { listenerArn: arn, securityGroup });
    return {
      scope,
      securityGroup,
      listener: listener('Listener', listenerArn),
      testListener: testListenerArn ? listener('TestListener', testListenerArn) : undefined,
    };
  }
}
