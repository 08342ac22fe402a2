/**
 * Read-only helpers over a parsed CloudFormation template (CDK-made or hand-written).
 *
 * Templates are untrusted input: any value may be missing, null, of the wrong type, or an
 * intrinsic function (`Fn::If`, `Fn::Select`, a `Ref` to a parameter...) where a literal or
 * a list is expected. Nothing here throws on such input; what cannot be known from the
 * template alone comes back as an {@link Unknown}, which callers must report, never pass.
 */

export type Resources = Record<string, { Type?: string; Properties?: any; Metadata?: any }>;

/** A value the template does not determine: `prop` (a property path) is `why` (e.g. `Fn::If`, `null`). */
export class Unknown {
  constructor(public readonly prop: string, public readonly why: string) {}

  /** `cannot evaluate <prop> of <resource>: <why>` */
  public message(logicalId: string): string {
    return `cannot evaluate ${this.prop} of ${logicalId}: ${this.why}`;
  }
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** Own-property lookup: never the prototype's `constructor`, `toString` or `__proto__`. */
export function own<T>(record: Record<string, T> | undefined | null, key: string): T | undefined {
  if (record === null || record === undefined || typeof record !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic function a value is (`Ref`, `Fn::If`, `Condition`...), or undefined. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'))) return keys[0];
  return undefined;
}

/** How to say why a value is not what was expected. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  const fn = intrinsicName(value);
  if (fn) return `intrinsic ${fn}`;
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function isNoValue(value: unknown): boolean {
  return isPlainObject(value) && value.Ref === 'AWS::NoValue';
}

export class TemplateIndex {
  public readonly resources: Resources;
  private readonly parameters: Record<string, any>;

  constructor(template: any) {
    const resources = isPlainObject(template) ? template.Resources : undefined;
    const parameters = isPlainObject(template) ? template.Parameters : undefined;
    this.resources = isPlainObject(resources) ? resources : {};
    this.parameters = isPlainObject(parameters) ? parameters : {};
  }

  /** The `Default` of a parameter (undefined when the parameter or its default is absent). */
  public parameterDefault(name: string): unknown {
    const param = own(this.parameters, name);
    return isPlainObject(param) ? param.Default : undefined;
  }

  /** Whether `id` is a resource of the template (own key, an object). */
  public has(id: string): boolean {
    return isPlainObject(own(this.resources, id));
  }

  /** The properties of a resource (an empty object when absent or malformed). */
  public props(id: string): Record<string, any> {
    const r = own(this.resources, id);
    const p = isPlainObject(r) ? r.Properties : undefined;
    return isPlainObject(p) ? p : {};
  }

  public typeOf(id: string): string | undefined {
    const r = own(this.resources, id);
    return isPlainObject(r) && typeof r.Type === 'string' ? r.Type : undefined;
  }

  /** Resources of a type, with their properties (an empty object when absent or malformed). */
  public ofType(type: string): Array<[string, any]> {
    return Object.keys(this.resources).filter((id) => this.typeOf(id) === type).map((id) => [id, this.props(id)]);
  }

  /**
   * The raw value at a property path (`A.B.C`) of an object; `Unknown` when a step on the
   * way is an intrinsic, null or not an object; undefined when a step is absent.
   */
  public get(obj: any, path: string): any {
    let value: any = obj;
    const steps = path.split('.');
    for (let i = 0; i < steps.length; i++) {
      if (value === undefined || isNoValue(value)) return undefined;
      if (!isPlainObject(value)) return new Unknown(steps.slice(0, i).join('.') || path, describe(value));
      if (intrinsicName(value)) return new Unknown(steps.slice(0, i).join('.'), describe(value));
      value = own(value, steps[i]);
    }
    return value;
  }

  /**
   * A literal (string, number, boolean) at a path, resolving a `Ref` to a parameter's default;
   * undefined when absent; `Unknown` otherwise (an intrinsic, null, an object or a list).
   */
  public scalar(obj: any, path: string): any {
    const value = this.get(obj, path);
    return this.resolveScalar(value, path);
  }

  private resolveScalar(value: any, path: string): any {
    if (isUnknown(value) || value === undefined) return value;
    if (isNoValue(value)) return undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (isPlainObject(value) && typeof value.Ref === 'string' && intrinsicName(value) === 'Ref') {
      const param = own(this.parameters, value.Ref);
      if (isPlainObject(param) && param.Default !== undefined && param.Default !== null && typeof param.Default !== 'object') return param.Default;
      return new Unknown(path, `Ref to ${value.Ref}${param ? ' (a parameter without a default)' : ''}`);
    }
    return new Unknown(path, describe(value));
  }

  /** A finite number at a path; undefined when absent; `Unknown` otherwise. */
  public numberAt(obj: any, path: string): number | undefined | Unknown {
    const v = this.scalar(obj, path);
    if (v === undefined || isUnknown(v)) return v;
    const n = typeof v === 'string' && v.trim() === '' ? NaN : Number(v);
    return Number.isFinite(n) ? n : new Unknown(path, `not a number (${JSON.stringify(v)})`);
  }

  /** A list at a path: [] when absent; `Unknown` when an intrinsic (`Fn::If`, `Fn::Split`, a `Ref`...), null or not a list. */
  public list(obj: any, path: string): any[] | Unknown {
    const value = this.get(obj, path);
    if (isUnknown(value)) return value;
    if (value === undefined || isNoValue(value)) return [];
    if (Array.isArray(value)) return value.filter((v) => !isNoValue(v));
    return new Unknown(path, describe(value));
  }

  /**
   * Resource ids a list-valued property points at. Elements that are `Ref`/`Fn::GetAtt` of a
   * resource of the template count; literal ids, imports and parameters point outside the
   * template (not seen); an `Fn::If` or null element, or an intrinsic list, is `Unknown`.
   */
  public targetsAt(obj: any, path: string): string[] | Unknown {
    const list = this.list(obj, path);
    if (isUnknown(list)) return list;
    const ids: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v === null || intrinsicName(v) === 'Fn::If') return new Unknown(`${path}[${i}]`, describe(v));
      const id = this.target(v);
      if (id !== undefined && this.has(id)) ids.push(id);
    }
    return ids;
  }

  /** The logical id a value points at: `{ Ref: X }` or `{ 'Fn::GetAtt': [X, ...] }` (or 'X.Attr'). */
  public target(value: any): string | undefined {
    if (isPlainObject(value)) {
      if (typeof value.Ref === 'string') return value.Ref;
      const att = own(value, 'Fn::GetAtt');
      if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
      if (typeof att === 'string') return att.split('.')[0];
    }
    return undefined;
  }

  /** A literal number or string, resolving `Ref` to a parameter's default; undefined when unknowable. */
  public literal(value: any): any {
    const v = this.resolveScalar(value, 'value');
    return isUnknown(v) ? undefined : v;
  }

  /** A finite number, or undefined when absent or unknowable. */
  public number(value: any): number | undefined {
    const v = this.literal(value);
    if (v === undefined || (typeof v === 'string' && v.trim() === '')) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  /** Resource ids a list-valued property points at ([] when unknowable: prefer {@link targetsAt}). */
  public targets(list: any): string[] {
    const ids = this.targetsAt({ v: list }, 'v');
    return isUnknown(ids) ? [] : ids;
  }

  /**
   * Every ingress rule of a security group (inline ones and AWS::EC2::SecurityGroupIngress
   * resources), each with where it is written; `Unknown` when the inline list is unknowable.
   */
  public ingressRules(groupId: string): Array<{ rule: any; where: string }> | Unknown {
    const inline = this.list(this.props(groupId), 'SecurityGroupIngress');
    if (isUnknown(inline)) return inline;
    const standalone = this.ofType('AWS::EC2::SecurityGroupIngress')
      .filter(([, p]) => this.target(p.GroupId) === groupId)
      .map(([id, p]) => ({ rule: p, where: id }));
    return [...inline.map((rule, i) => ({ rule, where: `SecurityGroupIngress[${i}]` })), ...standalone];
  }

  /** Whether a subnet's route table sends 0.0.0.0/0 to an internet gateway. */
  public subnetRoutesToInternetGateway(subnetId: string): boolean {
    const tables = this.ofType('AWS::EC2::SubnetRouteTableAssociation')
      .filter(([, p]) => this.target(p.SubnetId) === subnetId)
      .map(([, p]) => this.target(p.RouteTableId));
    return tables.some((t) => t !== undefined && this.routeTableToInternetGateway(t));
  }

  /** Whether a route table sends 0.0.0.0/0 (or ::/0) to an internet gateway; a route with an unknowable destination counts. */
  public routeTableToInternetGateway(tableId: string): boolean {
    return this.ofType('AWS::EC2::Route').some(([, p]) => {
      if (this.target(p.RouteTableId) !== tableId || !this.isInternetGateway(p.GatewayId)) return false;
      const v4 = this.scalar(p, 'DestinationCidrBlock');
      const v6 = this.scalar(p, 'DestinationIpv6CidrBlock');
      return v4 === '0.0.0.0/0' || v6 === '::/0' || isUnknown(v4) || isUnknown(v6);
    });
  }

  private isInternetGateway(value: any): boolean {
    const id = this.target(value);
    if (id) return this.typeOf(id) === 'AWS::EC2::InternetGateway';
    return typeof value === 'string' && value.startsWith('igw-');
  }

  /** Subnets of a route table. */
  public subnetsOf(tableId: string): string[] {
    return this.ofType('AWS::EC2::SubnetRouteTableAssociation')
      .filter(([, p]) => this.target(p.RouteTableId) === tableId)
      .map(([, p]) => this.target(p.SubnetId))
      .filter((id): id is string => id !== undefined);
  }

  /**
   * Whether a subnet is private: CDK's subnet-type tag when present, else it does not map
   * public IPs; `Unknown` when the tags or MapPublicIpOnLaunch are unknowable.
   */
  public isPrivateSubnet(subnetId: string): boolean | Unknown {
    const props = this.props(subnetId);
    const tags = this.list(props, 'Tags');
    if (isUnknown(tags)) return tags;
    const tag = tags.find((t: any) => isPlainObject(t) && t.Key === 'aws-cdk:subnet-type');
    if (tag) return tag.Value !== 'Public';
    const map = this.scalar(props, 'MapPublicIpOnLaunch');
    if (isUnknown(map)) return map;
    return map !== true && map !== 'true';
  }
}

/**
 * The port range of a security-group rule ([from, to]); all ports for protocol -1;
 * `Unknown` when the protocol or a port is not a literal (or the rule is not an object).
 */
export function portRange(index: TemplateIndex, rule: any, where: string): [number, number] | Unknown {
  if (!isPlainObject(rule) || intrinsicName(rule)) return new Unknown(where, describe(rule));
  const protocol = index.scalar(rule, 'IpProtocol');
  if (isUnknown(protocol)) return new Unknown(`${where}.IpProtocol`, protocol.why);
  if (String(protocol) === '-1') return [0, 65535];
  const from = index.numberAt(rule, 'FromPort');
  const to = index.numberAt(rule, 'ToPort');
  if (isUnknown(from)) return new Unknown(`${where}.FromPort`, from.why);
  if (isUnknown(to)) return new Unknown(`${where}.ToPort`, to.why);
  if (from === undefined || to === undefined) return new Unknown(`${where}.FromPort/ToPort`, 'absent');
  return [from, to];
}

/**
 * Logical ids (and parameter names) a value references through `Ref`, `Fn::GetAtt` or
 * `Fn::Sub`, anywhere inside it; pseudo parameters (`AWS::...`) are left out.
 */
export function referencedIds(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedIds(v, out));
  } else if (isPlainObject(value)) {
    const fn = intrinsicName(value);
    if (fn === 'Ref' && typeof value.Ref === 'string') {
      if (!value.Ref.startsWith('AWS::')) out.add(value.Ref);
      return out;
    }
    if (fn === 'Fn::GetAtt') {
      const att = value['Fn::GetAtt'];
      if (typeof att === 'string') out.add(att.split('.')[0]);
      else if (Array.isArray(att) && typeof att[0] === 'string') out.add(att[0]);
      return out;
    }
    if (fn === 'Fn::Sub') {
      const sub = value['Fn::Sub'];
      const [text, vars] = Array.isArray(sub) ? [sub[0], sub[1]] : [sub, undefined];
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = m[1].trim().split('.')[0];
          if (!(isPlainObject(vars) && name in vars) && !name.startsWith('AWS::')) out.add(name);
        }
      }
      referencedIds(vars, out);
      return out;
    }
    Object.values(value).forEach((v) => referencedIds(v, out));
  }
  return out;
}
