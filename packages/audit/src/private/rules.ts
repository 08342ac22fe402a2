import { describe, intrinsicName, isUnknown, portRange, referencedIds, TemplateIndex, Unknown } from './template';

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


// ---- Portcullis-ALARM1: can CloudWatch publish to the alarm's topic? -----------------------
//
// A topic policy (AWS::SNS::TopicPolicy, AWS::SNS::TopicInlinePolicy) replaces SNS's default
// policy; CloudWatch then publishes an alarm's notification only if the policy allows the
// cloudwatch.amazonaws.com service principal (or any principal, `*`) sns:Publish on the topic
// (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger: "Resource:
// arn:aws:cloudwatch:...:alarm:... is not authorized to perform: SNS:Publish"). An account
// (root) principal does not admit a service principal: it is not counted.

const TOPIC = 'AWS::SNS::Topic';
const ALARM_ACTIONS = ['AlarmActions', 'OKActions', 'InsufficientDataActions'];
/** Condition keys CloudWatch's publish carries (the alarm's account and ARN): an Allow under them admits it (their values are not checked). */
const SOURCE_CONDITION_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner'];

type Verdict = 'yes' | 'no' | Unknown;

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IAM wildcard match (`*`, `?`), case-insensitive, as IAM matches actions. */
function glob(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(text);
}

/** A string value, or a list of them (IAM's "one or a list"); Unknown when an intrinsic or not strings. */
function strings(t: TemplateIndex, value: unknown, where: string): string[] | Unknown {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of list) {
    const s = t.literal(v);
    if (typeof s !== 'string') return new Unknown(where, describe(v));
    out.push(s);
  }
  return out;
}

/** Whether a statement's Principal includes CloudWatch (cloudwatch.amazonaws.com, or `*`). */
function principalAdmitsCloudWatch(t: TemplateIndex, principal: unknown, where: string): Verdict {
  if (principal === '*') return 'yes';
  if (!isObj(principal) || intrinsicName(principal)) return principal === undefined ? 'no' : new Unknown(where, describe(principal));
  let unknown: Unknown | undefined;
  for (const [kind, value] of Object.entries(principal)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (kind === 'AWS' && v === '*') return 'yes';
      if (kind !== 'Service') continue;
      const literal = t.literal(v);
      const name = typeof literal === 'string' ? literal : serviceName(v);
      if (name === 'cloudwatch.amazonaws.com') return 'yes';
      if (name === undefined) unknown = unknown ?? new Unknown(`${where}.Service`, describe(v));
    }
  }
  return unknown ?? 'no';
}

/** A service principal's name: a literal, or `cloudwatch.` joined with the URL suffix (Fn::Join / Fn::Sub). */
function serviceName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObj(v)) return undefined;
  const sub = v['Fn::Sub'];
  if (typeof sub === 'string') return sub.replace('${AWS::URLSuffix}', 'amazonaws.com');
  const join = v['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) {
    const parts = join[1].map((p: unknown) => (typeof p === 'string' ? p : isObj(p) && p.Ref === 'AWS::URLSuffix' ? 'amazonaws.com' : undefined));
    return parts.every((p: string | undefined) => p !== undefined) ? parts.join('') : undefined;
  }
  return undefined;
}

/** Whether a statement's Action / NotAction covers sns:Publish. */
function coversPublish(t: TemplateIndex, s: Record<string, any>, where: string): Verdict {
  if (s.NotAction !== undefined) {
    const not = strings(t, s.NotAction, `${where}.NotAction`);
    return isUnknown(not) ? not : not.some((p) => glob(p, 'sns:Publish')) ? 'no' : 'yes';
  }
  if (s.Action === undefined) return 'no';
  const actions = strings(t, s.Action, `${where}.Action`);
  return isUnknown(actions) ? actions : actions.some((p) => glob(p, 'sns:Publish')) ? 'yes' : 'no';
}

/** Whether a statement's Resource covers the topic: `*`, a Ref / GetAtt of it, or an ARN matching its literal name. */
function coversTopic(t: TemplateIndex, s: Record<string, any>, topicId: string, where: string): Verdict {
  if (s.NotResource !== undefined || s.Resource === undefined) return new Unknown(`${where}.${s.NotResource !== undefined ? 'NotResource' : 'Resource'}`, s.NotResource !== undefined ? 'NotResource' : 'absent');
  const list = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
  let unknown: Unknown | undefined;
  for (const r of list) {
    if (r === '*') return 'yes';
    const target = t.target(r);
    if (target !== undefined && t.has(target)) {
      if (target === topicId) return 'yes';
      continue;
    }
    if (typeof r === 'string') {
      const name = t.literal(t.props(topicId).TopicName);
      if (typeof name === 'string') {
        const arn = r.split(':');
        if (arn.length >= 6 && glob(arn[2], 'sns') && glob(arn.slice(5).join(':'), name)) return 'yes';
        continue;
      }
      unknown = unknown ?? new Unknown(`${where}.Resource`, `an ARN, and ${topicId} has no literal TopicName`);
      continue;
    }
    if (referencedIds(r).has(topicId)) return 'yes';
    unknown = unknown ?? new Unknown(`${where}.Resource`, describe(r));
  }
  return unknown ?? 'no';
}

/**
 * Whether a topic policy's document lets CloudWatch publish to the topic: 'yes' (an Allow
 * covers it and no Deny does), 'no', or Unknown where an intrinsic or a condition the rule does
 * not model could decide it. A Deny only under `aws:SecureTransport: false` does not stop
 * CloudWatch (it publishes over TLS).
 */
function policyAdmitsCloudWatch(t: TemplateIndex, policyId: string, docPath: string, topicId: string): Verdict {
  const doc = t.get(t.props(policyId), docPath);
  if (isUnknown(doc)) return new Unknown(`topic policy ${policyId} ${doc.prop || docPath}`, doc.why);
  if (!isObj(doc) || intrinsicName(doc)) return new Unknown(`topic policy ${policyId} ${docPath}`, describe(doc));
  const raw = doc.Statement;
  if (raw === undefined) return 'no';
  if (intrinsicName(raw) || (!Array.isArray(raw) && !isObj(raw))) return new Unknown(`topic policy ${policyId} ${docPath}.Statement`, describe(raw));
  const statements = Array.isArray(raw) ? raw : [raw];
  let allowed = false;
  let unknown: Unknown | undefined;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    const where = `topic policy ${policyId} ${docPath}.Statement[${i}]`;
    if (!isObj(s) || intrinsicName(s)) {
      unknown = unknown ?? new Unknown(where, describe(s));
      continue;
    }
    const effect = t.literal(s.Effect);
    if (effect !== 'Allow' && effect !== 'Deny') {
      unknown = unknown ?? new Unknown(`${where}.Effect`, describe(s.Effect));
      continue;
    }
    const principal = s.NotPrincipal !== undefined ? new Unknown(`${where}.NotPrincipal`, 'NotPrincipal') : principalAdmitsCloudWatch(t, s.Principal, `${where}.Principal`);
    const parts = [principal, coversPublish(t, s, where), coversTopic(t, s, topicId, where)];
    if (parts.includes('no')) continue; // not about CloudWatch publishing to this topic
    const condition = conditionVerdict(s.Condition, effect, `${where}.Condition`);
    const first = [...parts, condition].find(isUnknown);
    if (first) {
      unknown = unknown ?? first;
      continue;
    }
    if (condition === 'no') continue;
    if (effect === 'Deny') return 'no'; // an explicit Deny of CloudWatch's publish decides
    allowed = true;
  }
  return unknown ?? (allowed ? 'yes' : 'no');
}

/**
 * Whether a statement's conditions hold for CloudWatch's publish: for an Allow, conditions on
 * the source account / ARN / owner are taken to match the alarm ('yes'); for a Deny, one on
 * `aws:SecureTransport` false never matches it ('no'). Anything else is Unknown.
 */
function conditionVerdict(condition: unknown, effect: 'Allow' | 'Deny', where: string): Verdict {
  if (condition === undefined) return 'yes';
  if (!isObj(condition) || intrinsicName(condition)) return new Unknown(where, describe(condition));
  const entries = Object.entries(condition).flatMap(([op, keys]) => (isObj(keys) ? Object.entries(keys).map(([k, v]) => [op, k.toLowerCase(), v] as const) : [[op, '', keys] as const]));
  if (entries.length === 0) return 'yes';
  if (effect === 'Allow') {
    const other = entries.find(([, k]) => !SOURCE_CONDITION_KEYS.includes(k));
    return other ? new Unknown(`${where}.${other[0]}`, `condition on ${other[1] || 'an unreadable key'}, which the rule does not evaluate`) : 'yes';
  }
  const tls = entries.every(([op, k, v]) => op === 'Bool' && k === 'aws:securetransport' && (v === false || v === 'false'));
  return tls ? 'no' : new Unknown(`${where}`, 'a Deny condition the rule does not evaluate');
}

/** 'yes' when CloudWatch may publish to the topic, 'no' (naming the policy) when not, or Unknown. */
function topicAdmitsCloudWatch(t: TemplateIndex, topicId: string): Verdict {
  const verdicts: Verdict[] = [];
  for (const [policyId, p] of t.ofType('AWS::SNS::TopicPolicy')) {
    const topics = t.list(p, 'Topics');
    if (isUnknown(topics)) {
      if (referencedIds(t.get(p, 'Topics')).has(topicId)) verdicts.push(new Unknown(`topic policy ${policyId} Topics`, topics.why));
      continue;
    }
    let applies = false;
    topics.forEach((v, i) => {
      if (t.target(v) === topicId) applies = true;
      else if (intrinsicName(v) && referencedIds(v).has(topicId)) verdicts.push(new Unknown(`topic policy ${policyId} Topics[${i}]`, describe(v)));
    });
    if (applies) verdicts.push(policyAdmitsCloudWatch(t, policyId, 'PolicyDocument', topicId));
  }
  for (const [policyId, p] of t.ofType('AWS::SNS::TopicInlinePolicy')) {
    if (t.target(p.TopicArn) === topicId) verdicts.push(policyAdmitsCloudWatch(t, policyId, 'PolicyDocument', topicId));
    else if (intrinsicName(p.TopicArn) && referencedIds(p.TopicArn).has(topicId)) verdicts.push(new Unknown(`topic policy ${policyId} TopicArn`, describe(p.TopicArn)));
  }
  // no topic policy: SNS's default policy lets the account's alarms publish
  if (verdicts.includes('no')) return 'no';
  return verdicts.find(isUnknown) ?? 'yes';
}

/** Topics of the template an alarm's actions name; Unknown where an action could name one and is not readable. */
function alarmTopics(t: TemplateIndex, props: any): { topics: string[]; unknown?: Unknown } {
  const topics: string[] = [];
  let unknown: Unknown | undefined;
  const isTopic = (id: string) => t.typeOf(id) === TOPIC;
  for (const prop of ALARM_ACTIONS) {
    const list = t.list(props, prop);
    if (isUnknown(list)) {
      // an intrinsic list (Fn::If...) that may name a topic of the template cannot be judged;
      // one that references none (a parameter, an import) points outside the template
      if ([...referencedIds(t.get(props, prop))].some(isTopic)) unknown = unknown ?? list;
      continue;
    }
    list.forEach((v, i) => {
      const target = t.target(v);
      if (target !== undefined && isTopic(target)) topics.push(target);
      else if (intrinsicName(v) && target === undefined && [...referencedIds(v)].some(isTopic)) unknown = unknown ?? new Unknown(`${prop}[${i}]`, describe(v));
    });
  }
  return { topics: [...new Set(topics)], unknown };
}

/** Container ports of a service's task definition as written (literals and intrinsics). */
function rawContainerPorts(t: TemplateIndex, serviceProps: any): unknown[] {
  const td = t.target(serviceProps.TaskDefinition);
  if (td === undefined || !t.has(td)) return [];
  const defs = t.list(t.props(td), 'ContainerDefinitions');
  if (isUnknown(defs)) return [];
  return defs.flatMap((c: any) => {
    const mappings = t.list(c, 'PortMappings');
    return isUnknown(mappings) ? [] : mappings.map((m: any) => t.get(m, 'ContainerPort')).filter((v: unknown) => v !== undefined && !isUnknown(v));
  });
}

/** Two template values written the same (key order aside). */
function sameValue(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown => (Array.isArray(v) ? v.map(canon)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as any)[k])])) : v);
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/**
 * The intrinsic of a security-group rule that opens exactly one port through an intrinsic the
 * template does not resolve (`FromPort` and `ToPort` the same intrinsic, a literal protocol
 * other than -1); undefined otherwise.
 */
function singleIntrinsicPort(t: TemplateIndex, rule: any): unknown {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule) || intrinsicName(rule)) return undefined;
  const protocol = t.scalar(rule, 'IpProtocol');
  if (isUnknown(protocol) || protocol === undefined || String(protocol) === '-1') return undefined;
  if (!intrinsicName(rule.FromPort) || !sameValue(rule.FromPort, rule.ToPort)) return undefined;
  if (!isUnknown(t.numberAt(rule, 'FromPort'))) return undefined; // resolvable (a parameter default): judged as a number
  return rule.FromPort;
}

/** Whether a rule opens exactly one port, given by the same intrinsic as one of `candidates`. */
function onePortAs(t: TemplateIndex, rule: any, candidates: unknown[]): boolean {
  const port = singleIntrinsicPort(t, rule);
  return port !== undefined && candidates.some((c) => sameValue(c, port));
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
        /** Listener ports the template does not fix (e.g. a Ref to a parameter without a default), as written. */
        const listenerIntrinsics: unknown[] = [];
        let unknownPort: Unknown | undefined;
        for (const [listenerId, l] of t.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
          if (t.target(l.LoadBalancerArn) !== lbId) continue;
          const port = t.numberAt(l, 'Port');
          if (isUnknown(port)) {
            unknownPort = unknownPort ?? new Unknown(`Port of listener ${listenerId}`, port.why);
            if (intrinsicName(l.Port)) listenerIntrinsics.push(l.Port);
          } else if (port !== undefined) {
            listenerPorts.push(port);
          }
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
          for (const { rule, where } of rules) {
            // a rule on exactly a listener's port is fine, also when that port is the same intrinsic on both
            if (onePortAs(t, rule, listenerIntrinsics)) continue;
            const range = portRange(t, rule, where);
            if (isUnknown(range)) hits.cannot(group, range);
            else if (range[0] === range[1] && listenerPorts.includes(range[0])) continue;
            else if (unknownPort) hits.cannot(group, unknownPort); // the unknown listener port may be this one
            else hits.flag(group);
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
            // a single port given by an intrinsic (a parameter without a default, as a token
            // containerPort synthesizes) is judged by what it is the same as: the container port's intrinsic
            const intrinsicPort = singleIntrinsicPort(t, rule);
            if (intrinsicPort !== undefined) {
              const cidr = rule.CidrIp !== undefined || rule.CidrIpv6 !== undefined;
              if (rawContainerPorts(t, svc).some((p) => sameValue(p, intrinsicPort))) {
                if (cidr) hits.flag(group);
                continue;
              }
            }
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
      // what matters is that a retention is set: a value CloudFormation must resolve (a Ref to a
      // parameter without a default, Fn::FindInMap...) is set; only a possibly absent one
      // (Fn::If with an AWS::NoValue branch) or null is unknowable
      const raw = t.get(p, 'RetentionInDays');
      if (isUnknown(raw)) return raw;
      if (raw === undefined) return true;
      const fn = intrinsicName(raw);
      if (fn === 'Fn::If') {
        const branches = Array.isArray(raw['Fn::If']) ? raw['Fn::If'].slice(1) : [];
        const absent = (b: unknown) => b === undefined || b === null || (typeof b === 'object' && (b as any).Ref === 'AWS::NoValue') || intrinsicName(b) === 'Fn::If';
        return branches.length === 2 && !branches.some(absent) ? false : new Unknown('RetentionInDays', 'intrinsic Fn::If');
      }
      if (fn !== undefined) return raw.Ref === 'AWS::NoValue';
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
  {
    id: 'Portcullis-ALARM1',
    description: 'An alarm notifies an SNS topic whose topic policy does not let CloudWatch publish: a topic policy replaces SNS\'s default policy, and without an Allow of sns:Publish for cloudwatch.amazonaws.com the alarm changes state and tells no one.',
    fix: 'Allow sns:Publish to the service principal cloudwatch.amazonaws.com on the topic, with aws:SourceAccount (and aws:SourceArn of the alarms) conditions: topic.addToResourcePolicy(...) (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).',
    check: (t) => {
      const hits = new Hits();
      const verdicts = new Map<string, Verdict>();
      for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']) {
        for (const [alarmId, alarm] of t.ofType(type)) {
          const { topics, unknown } = alarmTopics(t, alarm);
          for (const topic of topics) {
            if (!verdicts.has(topic)) verdicts.set(topic, topicAdmitsCloudWatch(t, topic));
            const v = verdicts.get(topic)!;
            if (v === 'no') hits.flag(alarmId);
            else if (isUnknown(v)) hits.cannot(alarmId, new Unknown(`${v.prop} (the policy of topic ${topic})`, v.why));
          }
          if (unknown) hits.cannot(alarmId, unknown);
        }
      }
      return hits.list;
    },
  },
];
