import { describe, intrinsicName, isUnknown, portRange, TemplateIndex, Unknown } from './template';

/** One resource a rule flags: a violation, or (with `unknown`) a value the rule cannot evaluate. */
export interface RuleHit {
  readonly logicalId: string;
  /** `cannot evaluate <prop> of <resource>: <why>`, when the rule could not tell. */
  readonly unknown?: string;
}

/**
 * A rule of the pack. When a value a rule needs is unknowable (an intrinsic such as
 * `Fn::If` or `Fn::Select`, a `Ref` to a parameter without a default, null), the rule
 * reports the resource with `unknown` set: "cannot tell" is a finding, never compliant.
 */
export interface RuleDefinition {
  readonly id: string;
  /** One line: what is wrong. */
  readonly description: string;
  /** How to fix it. */
  readonly fix: string;
  /** The offending resources, and those the rule cannot evaluate. */
  readonly check: (t: TemplateIndex) => RuleHit[];
}

const OPEN = ['0.0.0.0/0', '::/0'];

/** Collects hits, one per resource (a violation wins over an unknown). */
class Hits {
  private readonly byId = new Map<string, RuleHit>();

  public flag(logicalId: string): void {
    this.byId.set(logicalId, { logicalId });
  }

  public cannot(logicalId: string, unknown: Unknown): void {
    if (!this.byId.has(logicalId)) this.byId.set(logicalId, { logicalId, unknown: unknown.message(logicalId) });
  }

  public get list(): RuleHit[] {
    return [...this.byId.values()];
  }
}

/** Applies `test` to each resource of a type: true flags it, an Unknown reports it as unknowable. */
function each(t: TemplateIndex, type: string, test: (props: any, id: string) => boolean | Unknown): RuleHit[] {
  const hits = new Hits();
  for (const [id, props] of t.ofType(type)) {
    const r = test(props, id);
    if (isUnknown(r)) hits.cannot(id, r);
    else if (r) hits.flag(id);
  }
  return hits.list;
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

/** Container ports of a service's task definition (undefined entries: unknowable ports). */
function containerPorts(t: TemplateIndex, serviceProps: any): Array<number | undefined> {
  const td = t.target(serviceProps.TaskDefinition);
  if (td === undefined || !t.has(td)) return [undefined];
  const defs = t.list(t.props(td), 'ContainerDefinitions');
  if (isUnknown(defs)) return [undefined];
  return defs.flatMap((c: any) => {
    const mappings = t.list(c, 'PortMappings');
    if (isUnknown(mappings)) return [undefined];
    return mappings.map((m: any) => {
      const port = t.numberAt(m, 'ContainerPort');
      return isUnknown(port) ? undefined : port;
    });
  });
}

export const RULES: RuleDefinition[] = [
  {
    id: 'Portcullis-TASK1',
    description: 'An ECS task gets a public IP (AssignPublicIp ENABLED): it is reachable from the internet wherever its group allows.',
    fix: 'Run tasks in private subnets with AssignPublicIp DISABLED and reach them through an ingress (ALB or API Gateway VPC link).',
    check: (t) => each(t, 'AWS::ECS::Service', (p) => {
      const v = t.scalar(p, 'NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp');
      return isUnknown(v) ? v : String(v ?? '').toUpperCase() === 'ENABLED';
    }),
  },
  {
    id: 'Portcullis-TASK2',
    description: 'An ECS service places tasks in a subnet whose route table sends 0.0.0.0/0 to an internet gateway (a public subnet).',
    fix: 'Place the service in private subnets whose default route goes to a NAT (or nowhere).',
    check: (t) => each(t, 'AWS::ECS::Service', (p) => {
      const subnets = t.targetsAt(p, 'NetworkConfiguration.AwsvpcConfiguration.Subnets');
      return isUnknown(subnets) ? subnets : subnets.some((s) => t.subnetRoutesToInternetGateway(s));
    }),
  },
  {
    id: 'Portcullis-SG1',
    description: 'A security group allows all protocols (-1) from the whole internet (0.0.0.0/0 or ::/0).',
    fix: 'Allow only the protocol and ports the service needs (e.g. TCP 443), from the narrowest source.',
    check: (t) => each(t, 'AWS::EC2::SecurityGroup', (_p, id) => {
      const rules = t.ingressRules(id);
      if (isUnknown(rules)) return rules;
      let unknown: Unknown | undefined;
      for (const { rule, where } of rules) {
        if (rule === null || typeof rule !== 'object' || Array.isArray(rule) || intrinsicName(rule)) {
          unknown = unknown ?? new Unknown(where, describe(rule));
          continue;
        }
        const protocol = t.scalar(rule, 'IpProtocol');
        if (isUnknown(protocol)) {
          unknown = unknown ?? new Unknown(`${where}.IpProtocol`, protocol.why);
          continue;
        }
        if (String(protocol) !== '-1') continue;
        const v4 = t.scalar(rule, 'CidrIp');
        const v6 = t.scalar(rule, 'CidrIpv6');
        if (OPEN.includes(v4) || OPEN.includes(v6)) return true;
        if (isUnknown(v4)) unknown = unknown ?? new Unknown(`${where}.CidrIp`, v4.why);
        if (isUnknown(v6)) unknown = unknown ?? new Unknown(`${where}.CidrIpv6`, v6.why);
      }
      return unknown ?? false;
    }),
  },
  {
    id: 'Portcullis-SG2',
    description: 'A load balancer\'s security group is open on ports other than its listeners.',
    fix: 'Allow only the listener ports (e.g. TCP 80 and 443) on the load balancer\'s group.',
    check: (t) => {
      const hits = new Hits();
      for (const [lbId, lb] of t.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
        const listenerPorts: number[] = [];
        let unknownPort: Unknown | undefined;
        for (const [listenerId, l] of t.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
          if (t.target(l.LoadBalancerArn) !== lbId) continue;
          const port = t.numberAt(l, 'Port');
          if (isUnknown(port)) unknownPort = unknownPort ?? new Unknown(`Port of listener ${listenerId}`, port.why);
          else if (port !== undefined) listenerPorts.push(port);
        }
        const groups = t.targetsAt(lb, 'SecurityGroups');
        if (isUnknown(groups)) {
          hits.cannot(lbId, groups);
          continue;
        }
        for (const group of groups) {
          const rules = t.ingressRules(group);
          if (isUnknown(rules)) {
            hits.cannot(group, rules);
            continue;
          }
          if (rules.length > 0 && unknownPort) hits.cannot(group, unknownPort);
          for (const { rule, where } of rules) {
            const range = portRange(t, rule, where);
            if (isUnknown(range)) hits.cannot(group, range);
            else if (!(range[0] === range[1] && listenerPorts.includes(range[0])) && !unknownPort) hits.flag(group);
          }
        }
      }
      return hits.list;
    },
  },
  {
    id: 'Portcullis-SG3',
    description: 'A task security group is open to a CIDR range rather than to its ingress\'s group, or on ports other than the container port.',
    fix: 'Allow only the container port, and only from the load balancer\'s or VPC link\'s security group.',
    check: (t) => {
      const hits = new Hits();
      for (const [svcId, svc] of t.ofType('AWS::ECS::Service')) {
        const ports = containerPorts(t, svc);
        const groups = t.targetsAt(svc, 'NetworkConfiguration.AwsvpcConfiguration.SecurityGroups');
        if (isUnknown(groups)) {
          hits.cannot(svcId, groups);
          continue;
        }
        for (const group of groups) {
          const rules = t.ingressRules(group);
          if (isUnknown(rules)) {
            hits.cannot(group, rules);
            continue;
          }
          for (const { rule, where } of rules) {
            const range = portRange(t, rule, where);
            if (isUnknown(range)) {
              hits.cannot(group, range);
              continue;
            }
            const bad = rule.CidrIp !== undefined || rule.CidrIpv6 !== undefined
              || (ports.some((p) => p === undefined)
                ? range[0] !== range[1] // unknown container port: only single ports pass
                : !(range[0] === range[1] && ports.includes(range[0])));
            if (bad) hits.flag(group);
          }
        }
      }
      return hits.list;
    },
  },
  {
    id: 'Portcullis-RT1',
    description: 'A private subnet\'s route table sends 0.0.0.0/0 to an internet gateway: the subnet is public in fact.',
    fix: 'Route private subnets\' default traffic to a NAT gateway or instance, or give them no default route.',
    check: (t) => each(t, 'AWS::EC2::RouteTable', (_p, id) => {
      if (!t.routeTableToInternetGateway(id)) return false;
      let unknown: Unknown | undefined;
      for (const s of t.subnetsOf(id)) {
        const priv = t.isPrivateSubnet(s);
        if (priv === true) return true;
        if (isUnknown(priv)) unknown = unknown ?? new Unknown(`${priv.prop} of subnet ${s}`, priv.why);
      }
      return unknown ?? false;
    }),
  },
  {
    id: 'Portcullis-LOG1',
    description: 'A log group has no retention: its records are kept, and billed, forever (the seed patterns\' weakness).',
    fix: 'Set RetentionInDays (e.g. logs.RetentionDays.ONE_MONTH on the LogGroup, or logRetention on the construct that made it).',
    check: (t) => each(t, 'AWS::Logs::LogGroup', (p) => {
      const v = t.numberAt(p, 'RetentionInDays');
      return isUnknown(v) ? v : v === undefined;
    }),
  },
  {
    id: 'Portcullis-ECS1',
    description: 'An ECS service has no deployment circuit breaker with rollback: a broken deployment keeps replacing failing tasks.',
    fix: 'Set DeploymentConfiguration.DeploymentCircuitBreaker { Enable: true, Rollback: true } (circuitBreaker: { rollback: true }).',
    check: (t) => each(t, 'AWS::ECS::Service', (p) => {
      const controller = t.scalar(p, 'DeploymentController.Type');
      if (isUnknown(controller)) return controller;
      if (controller === 'CODE_DEPLOY' || controller === 'EXTERNAL') return false;
      const enable = t.scalar(p, 'DeploymentConfiguration.DeploymentCircuitBreaker.Enable');
      const rollback = t.scalar(p, 'DeploymentConfiguration.DeploymentCircuitBreaker.Rollback');
      if (isUnknown(enable)) return enable;
      if (isUnknown(rollback)) return rollback;
      return !(isTrue(enable) && isTrue(rollback));
    }),
  },
  {
    id: 'Portcullis-ECS2',
    description: 'An ECS service behind a load balancer has no deployment alarms with rollback: a deployment whose new tasks answer with errors (but pass health checks) is not rolled back.',
    fix: 'Set DeploymentConfiguration.Alarms { Enable: true, Rollback: true, AlarmNames: [a 5xx-rate alarm of its target group] } (ApiService rollbackAlarms with an AlbIngress, or addRollbackAlarm).',
    check: (t) => each(t, 'AWS::ECS::Service', (p) => {
      const balancers = t.list(p, 'LoadBalancers');
      if (isUnknown(balancers)) return balancers;
      if (balancers.length === 0) return false;
      const controller = t.scalar(p, 'DeploymentController.Type');
      if (isUnknown(controller)) return controller;
      // ECS deployment alarms exist only under the ECS controller; CodeDeploy has its own
      if (controller === 'CODE_DEPLOY' || controller === 'EXTERNAL') return false;
      const enable = t.scalar(p, 'DeploymentConfiguration.Alarms.Enable');
      if (isUnknown(enable)) return enable;
      const rollback = t.scalar(p, 'DeploymentConfiguration.Alarms.Rollback');
      if (isUnknown(rollback)) return rollback;
      const names = t.list(p, 'DeploymentConfiguration.Alarms.AlarmNames');
      if (isUnknown(names)) return names;
      return !(isTrue(enable) && isTrue(rollback) && names.length > 0);
    }),
  },
  {
    id: 'Portcullis-LT1',
    description: 'An EC2 launch template does not require IMDSv2: SSRF in a container or host can read instance credentials.',
    fix: 'Set LaunchTemplateData.MetadataOptions.HttpTokens to required (requireImdsv2: true).',
    check: (t) => each(t, 'AWS::EC2::LaunchTemplate', (p) => {
      const v = t.scalar(p, 'LaunchTemplateData.MetadataOptions.HttpTokens');
      return isUnknown(v) ? v : v !== 'required';
    }),
  },
  {
    id: 'Portcullis-LT2',
    description: 'An EC2 launch template has an EBS volume that is not encrypted.',
    fix: 'Set Encrypted: true on every BlockDeviceMappings Ebs entry (BlockDeviceVolume.ebs(size, { encrypted: true })).',
    check: (t) => each(t, 'AWS::EC2::LaunchTemplate', (p) => {
      const mappings = t.list(p, 'LaunchTemplateData.BlockDeviceMappings');
      if (isUnknown(mappings)) return mappings;
      let unknown: Unknown | undefined;
      for (let i = 0; i < mappings.length; i++) {
        const where = `LaunchTemplateData.BlockDeviceMappings[${i}]`;
        const ebs = t.get(mappings[i], 'Ebs');
        if (isUnknown(ebs)) {
          unknown = unknown ?? new Unknown(`${where}${ebs.prop ? '.' + ebs.prop : ''}`, ebs.why);
          continue;
        }
        if (ebs === undefined) continue; // instance store or NoDevice
        const enc = t.scalar(ebs, 'Encrypted');
        if (isUnknown(enc)) unknown = unknown ?? new Unknown(`${where}.Ebs.Encrypted`, enc.why);
        else if (!isTrue(enc)) return true;
      }
      return unknown ?? false;
    }),
  },
  {
    id: 'Portcullis-API1',
    description: 'An HTTP API stage has no access logs: requests cannot be traced or audited.',
    fix: 'Set AccessLogSettings (DestinationArn and Format) on the stage, e.g. with HttpApiAccessLog.',
    check: (t) => each(t, 'AWS::ApiGatewayV2::Stage', (p) => {
      const api = t.target(p.ApiId);
      // an API of unknowable protocol is judged as HTTP
      if (api !== undefined && t.scalar(t.props(api), 'ProtocolType') === 'WEBSOCKET') return false;
      const dest = t.get(p, 'AccessLogSettings.DestinationArn');
      if (isUnknown(dest)) return dest;
      if (dest === null) return new Unknown('AccessLogSettings.DestinationArn', 'null');
      if (intrinsicName(dest) === 'Fn::If') return new Unknown('AccessLogSettings.DestinationArn', 'intrinsic Fn::If');
      return !dest; // a GetAtt or Sub of the log group is fine: present is what matters
    }),
  },
  {
    id: 'Portcullis-API2',
    description: 'A VPC link is in public subnets: the services behind it then sit in public subnets too (the original API Gateway pattern).',
    fix: 'Put the VPC link (and the tasks) in private subnets.',
    check: (t) => each(t, 'AWS::ApiGatewayV2::VpcLink', (p) => {
      const subnets = t.targetsAt(p, 'SubnetIds');
      return isUnknown(subnets) ? subnets : subnets.some((s) => t.subnetRoutesToInternetGateway(s));
    }),
  },
];
