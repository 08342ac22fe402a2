/** Read-only helpers over a parsed CloudFormation template (CDK-made or hand-written). */

export type Resources = Record<string, { Type?: string; Properties?: any; Metadata?: any }>;

export class TemplateIndex {
  public readonly resources: Resources;
  private readonly parameters: Record<string, any>;

  constructor(template: any) {
    this.resources = (template && template.Resources) ?? {};
    this.parameters = (template && template.Parameters) ?? {};
  }

  public ofType(type: string): Array<[string, any]> {
    return Object.entries(this.resources).filter(([, r]) => r?.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
  }

  /** The logical id a value points at: `{ Ref: X }` or `{ 'Fn::GetAtt': [X, ...] }` (or 'X.Attr'). */
  public target(value: any): string | undefined {
    if (value && typeof value === 'object') {
      if (typeof value.Ref === 'string') return value.Ref;
      const att = value['Fn::GetAtt'];
      if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
      if (typeof att === 'string') return att.split('.')[0];
    }
    return undefined;
  }

  /** A literal number or string, resolving `Ref` to a parameter's default; undefined when unknowable. */
  public literal(value: any): any {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object') return value;
    const ref = value.Ref;
    if (typeof ref === 'string' && this.parameters[ref] && this.parameters[ref].Default !== undefined) {
      return this.parameters[ref].Default;
    }
    return undefined;
  }

  public number(value: any): number | undefined {
    const v = this.literal(value);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  /** Resource ids a list-valued property points at (a list of Refs, or a Ref to a list parameter: unknown). */
  public targets(list: any): string[] {
    if (!Array.isArray(list)) return [];
    return list.map((v) => this.target(v)).filter((id): id is string => id !== undefined && this.resources[id] !== undefined);
  }

  /** Every ingress rule of a security group: inline ones and AWS::EC2::SecurityGroupIngress resources. */
  public ingressRules(groupId: string): any[] {
    const inline = this.resources[groupId]?.Properties?.SecurityGroupIngress ?? [];
    const standalone = this.ofType('AWS::EC2::SecurityGroupIngress')
      .filter(([, p]) => this.target(p.GroupId) === groupId)
      .map(([, p]) => p);
    return [...inline, ...standalone];
  }

  /** Whether a subnet's route table sends 0.0.0.0/0 to an internet gateway. */
  public subnetRoutesToInternetGateway(subnetId: string): boolean {
    const tables = this.ofType('AWS::EC2::SubnetRouteTableAssociation')
      .filter(([, p]) => this.target(p.SubnetId) === subnetId)
      .map(([, p]) => this.target(p.RouteTableId));
    return tables.some((t) => t !== undefined && this.routeTableToInternetGateway(t));
  }

  public routeTableToInternetGateway(tableId: string): boolean {
    return this.ofType('AWS::EC2::Route').some(([, p]) =>
      this.target(p.RouteTableId) === tableId
      && (p.DestinationCidrBlock === '0.0.0.0/0' || p.DestinationIpv6CidrBlock === '::/0')
      && this.isInternetGateway(p.GatewayId));
  }

  private isInternetGateway(value: any): boolean {
    const id = this.target(value);
    if (id) return this.resources[id]?.Type === 'AWS::EC2::InternetGateway';
    return typeof value === 'string' && value.startsWith('igw-');
  }

  /** Subnets of a route table. */
  public subnetsOf(tableId: string): string[] {
    return this.ofType('AWS::EC2::SubnetRouteTableAssociation')
      .filter(([, p]) => this.target(p.RouteTableId) === tableId)
      .map(([, p]) => this.target(p.SubnetId))
      .filter((id): id is string => id !== undefined);
  }

  /** Whether a subnet is private: CDK's subnet-type tag when present, else it does not map public IPs. */
  public isPrivateSubnet(subnetId: string): boolean {
    const props = this.resources[subnetId]?.Properties ?? {};
    const tag = (props.Tags ?? []).find((t: any) => t.Key === 'aws-cdk:subnet-type');
    if (tag) return tag.Value !== 'Public';
    return props.MapPublicIpOnLaunch !== true && props.MapPublicIpOnLaunch !== 'true';
  }
}

/** The port range of a security-group rule ([from, to]); all ports for protocol -1. */
export function portRange(index: TemplateIndex, rule: any): [number, number] | undefined {
  if (String(rule.IpProtocol) === '-1') return [0, 65535];
  const from = index.number(rule.FromPort);
  const to = index.number(rule.ToPort);
  if (from === undefined || to === undefined) return undefined;
  return [from, to];
}
