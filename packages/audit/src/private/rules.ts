import { portRange, TemplateIndex } from './template';

/** A rule of the pack. */
export interface RuleDefinition {
  readonly id: string;
  /** One line: what is wrong. */
  readonly description: string;
  /** How to fix it. */
  readonly fix: string;
  /** Logical ids of the offending resources. */
  readonly check: (t: TemplateIndex) => string[];
}

const OPEN = ['0.0.0.0/0', '::/0'];

function serviceGroups(t: TemplateIndex, props: any): string[] {
  return t.targets(props.NetworkConfiguration?.AwsvpcConfiguration?.SecurityGroups);
}

function containerPorts(t: TemplateIndex, serviceProps: any): Array<number | undefined> {
  const td = t.target(serviceProps.TaskDefinition);
  const defs = (td && t.resources[td]?.Properties?.ContainerDefinitions) ?? [];
  return defs.flatMap((c: any) => (c.PortMappings ?? []).map((m: any) => t.number(m.ContainerPort)));
}

export const RULES: RuleDefinition[] = [
  {
    id: 'Portcullis-TASK1',
    description: 'An ECS task gets a public IP (AssignPublicIp ENABLED): it is reachable from the internet wherever its group allows.',
    fix: 'Run tasks in private subnets with AssignPublicIp DISABLED and reach them through an ingress (ALB or API Gateway VPC link).',
    check: (t) => t.ofType('AWS::ECS::Service')
      .filter(([, p]) => String(p.NetworkConfiguration?.AwsvpcConfiguration?.AssignPublicIp ?? '').toUpperCase() === 'ENABLED')
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-TASK2',
    description: 'An ECS service places tasks in a subnet whose route table sends 0.0.0.0/0 to an internet gateway (a public subnet).',
    fix: 'Place the service in private subnets whose default route goes to a NAT (or nowhere).',
    check: (t) => t.ofType('AWS::ECS::Service')
      .filter(([, p]) => t.targets(p.NetworkConfiguration?.AwsvpcConfiguration?.Subnets).some((s) => t.subnetRoutesToInternetGateway(s)))
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-SG1',
    description: 'A security group allows all protocols (-1) from the whole internet (0.0.0.0/0 or ::/0).',
    fix: 'Allow only the protocol and ports the service needs (e.g. TCP 443), from the narrowest source.',
    check: (t) => t.ofType('AWS::EC2::SecurityGroup')
      .filter(([id]) => t.ingressRules(id).some((r) => String(r.IpProtocol) === '-1' && (OPEN.includes(r.CidrIp) || OPEN.includes(r.CidrIpv6))))
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-SG2',
    description: 'A load balancer\'s security group is open on ports other than its listeners.',
    fix: 'Allow only the listener ports (e.g. TCP 80 and 443) on the load balancer\'s group.',
    check: (t) => {
      const out = new Set<string>();
      for (const [lbId, lb] of t.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
        const listenerPorts = t.ofType('AWS::ElasticLoadBalancingV2::Listener')
          .filter(([, l]) => t.target(l.LoadBalancerArn) === lbId)
          .map(([, l]) => t.number(l.Port));
        if (listenerPorts.some((p) => p === undefined)) continue; // unknowable
        for (const group of t.targets(lb.SecurityGroups)) {
          const bad = t.ingressRules(group).some((r) => {
            const range = portRange(t, r);
            return range === undefined ? false : !(range[0] === range[1] && listenerPorts.includes(range[0]));
          });
          if (bad) out.add(group);
        }
      }
      return [...out];
    },
  },
  {
    id: 'Portcullis-SG3',
    description: 'A task security group is open to a CIDR range rather than to its ingress\'s group, or on ports other than the container port.',
    fix: 'Allow only the container port, and only from the load balancer\'s or VPC link\'s security group.',
    check: (t) => {
      const out = new Set<string>();
      for (const [, svc] of t.ofType('AWS::ECS::Service')) {
        const ports = containerPorts(t, svc);
        for (const group of serviceGroups(t, svc)) {
          const bad = t.ingressRules(group).some((r) => {
            if (r.CidrIp !== undefined || r.CidrIpv6 !== undefined) return true;
            const range = portRange(t, r);
            if (range === undefined) return false;
            if (ports.some((p) => p === undefined)) return range[0] !== range[1]; // unknown container port: only single ports pass
            return !(range[0] === range[1] && ports.includes(range[0]));
          });
          if (bad) out.add(group);
        }
      }
      return [...out];
    },
  },
  {
    id: 'Portcullis-RT1',
    description: 'A private subnet\'s route table sends 0.0.0.0/0 to an internet gateway: the subnet is public in fact.',
    fix: 'Route private subnets\' default traffic to a NAT gateway or instance, or give them no default route.',
    check: (t) => t.ofType('AWS::EC2::RouteTable')
      .filter(([id]) => t.routeTableToInternetGateway(id))
      .filter(([id]) => t.subnetsOf(id).some((s) => t.isPrivateSubnet(s)))
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-LOG1',
    description: 'A log group has no retention: its records are kept, and billed, forever (the seed patterns\' weakness).',
    fix: 'Set RetentionInDays (e.g. logs.RetentionDays.ONE_MONTH on the LogGroup, or logRetention on the construct that made it).',
    check: (t) => t.ofType('AWS::Logs::LogGroup').filter(([, p]) => p.RetentionInDays === undefined).map(([id]) => id),
  },
  {
    id: 'Portcullis-ECS1',
    description: 'An ECS service has no deployment circuit breaker with rollback: a broken deployment keeps replacing failing tasks.',
    fix: 'Set DeploymentConfiguration.DeploymentCircuitBreaker { Enable: true, Rollback: true } (circuitBreaker: { rollback: true }).',
    check: (t) => t.ofType('AWS::ECS::Service')
      .filter(([, p]) => !['CODE_DEPLOY', 'EXTERNAL'].includes(p.DeploymentController?.Type))
      .filter(([, p]) => {
        const cb = p.DeploymentConfiguration?.DeploymentCircuitBreaker;
        return !(cb && (cb.Enable === true || cb.Enable === 'true') && (cb.Rollback === true || cb.Rollback === 'true'));
      })
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-LT1',
    description: 'An EC2 launch template does not require IMDSv2: SSRF in a container or host can read instance credentials.',
    fix: 'Set LaunchTemplateData.MetadataOptions.HttpTokens to required (requireImdsv2: true).',
    check: (t) => t.ofType('AWS::EC2::LaunchTemplate')
      .filter(([, p]) => p.LaunchTemplateData?.MetadataOptions?.HttpTokens !== 'required')
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-LT2',
    description: 'An EC2 launch template has an EBS volume that is not encrypted.',
    fix: 'Set Encrypted: true on every BlockDeviceMappings Ebs entry (BlockDeviceVolume.ebs(size, { encrypted: true })).',
    check: (t) => t.ofType('AWS::EC2::LaunchTemplate')
      .filter(([, p]) => (p.LaunchTemplateData?.BlockDeviceMappings ?? []).some((m: any) => m.Ebs && m.Ebs.Encrypted !== true && m.Ebs.Encrypted !== 'true'))
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-API1',
    description: 'An HTTP API stage has no access logs: requests cannot be traced or audited.',
    fix: 'Set AccessLogSettings (DestinationArn and Format) on the stage, e.g. with HttpApiAccessLog.',
    check: (t) => t.ofType('AWS::ApiGatewayV2::Stage')
      .filter(([, p]) => {
        const api = t.target(p.ApiId);
        const http = api === undefined || t.resources[api]?.Properties?.ProtocolType !== 'WEBSOCKET';
        return http && !p.AccessLogSettings?.DestinationArn;
      })
      .map(([id]) => id),
  },
  {
    id: 'Portcullis-API2',
    description: 'A VPC link is in public subnets: the services behind it then sit in public subnets too (the original API Gateway pattern).',
    fix: 'Put the VPC link (and the tasks) in private subnets.',
    check: (t) => t.ofType('AWS::ApiGatewayV2::VpcLink')
      .filter(([, p]) => t.targets(p.SubnetIds).some((s) => t.subnetRoutesToInternetGateway(s)))
      .map(([id]) => id),
  },
];
