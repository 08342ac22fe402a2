// The rules judge what Portcullis's constructs accept when a value is a token: a containerPort or
// a log retention from a CfnParameter without a default synthesizes to a Ref the rule cannot
// resolve, but can still decide (the same port on both sides; a retention that is set).
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ExposureChecks } from '../src';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const findings = (t: any, rule: string) => new ExposureChecks().checkTemplate(t).filter((f) => f.ruleId === rule)
  .map((f) => `${f.resourceLogicalId}${f.cannotEvaluate ? `: ${f.cannotEvaluate}` : ''}`);

/** What ApiService + AlbIngress synthesize with `containerPort` and `logRetention` from parameters without defaults (aws-cdk-lib only). */
function tokenApp() {
  const stack = new Stack(new App(), 'Tokens');
  const port = new CfnParameter(stack, 'Port', { type: 'Number' }).valueAsNumber;
  const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const td = new ecs.FargateTaskDefinition(stack, 'Td');
  td.addContainer('api', {
    image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: port }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logGroup: new logs.LogGroup(stack, 'Logs', { retention: days as logs.RetentionDays }) }),
  });
  const service = new ecs.FargateService(stack, 'Svc', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: td, circuitBreaker: { rollback: true } });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
  const listener = lb.addListener('Http', { port: 80, open: true });
  listener.addTargets('Api', { port, protocol: elbv2.ApplicationProtocol.HTTP, targets: [service] });
  return Template.fromStack(stack).toJSON();
}

describe('tokens the constructs accept: judged, not "cannot evaluate"', () => {
  test('a token containerPort: the task group\'s rule is the same Ref as the container port, so SG3 passes; a token retention is set, so LOG1 passes', () => {
    const t = tokenApp();
    const ingress = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties.Description?.startsWith('Load balancer to target'));
    expect(ingress.Properties).toMatchObject({ FromPort: { Ref: 'Port' }, ToPort: { Ref: 'Port' } }); // what the rule sees
    expect(findings(t, 'Portcullis-SG3')).toEqual([]);
    expect(findings(t, 'Portcullis-LOG1')).toEqual([]);
  });
});

describe('Portcullis-SG3 with intrinsic ports', () => {
  /** The seed template with the container port and the ALB-to-task rule given by `port` and `rule` ports. */
  function seed(containerPort: unknown, from: unknown, to: unknown = from) {
    const t = fixture('seed-fargate-alb.json');
    t.Parameters = { ...(t.Parameters ?? {}), Port: { Type: 'Number' }, Other: { Type: 'Number' } };
    t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].PortMappings = [{ ContainerPort: containerPort }];
    Object.assign(t.Resources.ServiceIngressfromLoadBalancer.Properties, { IpProtocol: 'tcp', FromPort: from, ToPort: to });
    return t;
  }

  test('passes: the rule\'s single port is the same Ref as the container port', () => {
    expect(findings(seed({ Ref: 'Port' }, { Ref: 'Port' }), 'Portcullis-SG3')).toEqual([]);
  });

  test.each<[string, unknown, unknown, unknown, RegExp]>([
    ['another parameter than the container port\'s', { Ref: 'Port' }, { Ref: 'Other' }, { Ref: 'Other' }, /^ServiceSecurityGroup: cannot evaluate ServiceIngressfromLoadBalancer\.FromPort of ServiceSecurityGroup: Ref to Other/],
    ['a range from the port to 65535', { Ref: 'Port' }, { Ref: 'Port' }, 65535, /^ServiceSecurityGroup: cannot evaluate ServiceIngressfromLoadBalancer\.FromPort/],
    ['a Ref port against a literal container port', 80, { Ref: 'Port' }, { Ref: 'Port' }, /^ServiceSecurityGroup: cannot evaluate ServiceIngressfromLoadBalancer\.FromPort of ServiceSecurityGroup: Ref to Port/],
  ])('fails closed: %s', (_name, containerPort, from, to, expected) => {
    const hits = findings(seed(containerPort, from, to), 'Portcullis-SG3');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(expected);
  });

  test('still flagged: the same-Ref port but open to a CIDR', () => {
    const t = seed({ Ref: 'Port' }, { Ref: 'Port' });
    t.Resources.ServiceIngressfromLoadBalancer.Properties.CidrIp = '10.0.0.0/8';
    expect(findings(t, 'Portcullis-SG3')).toEqual(['ServiceSecurityGroup']);
  });
});

describe('Portcullis-SG2 with an intrinsic listener port', () => {
  function seed(rule: { from: unknown; to: unknown }) {
    const t = fixture('seed-fargate-alb.json');
    t.Parameters = { ...(t.Parameters ?? {}), ListenerPort: { Type: 'Number' } };
    const listener = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener');
    listener.Properties.Port = { Ref: 'ListenerPort' };
    t.Resources.PublicLoadBalancerSG.Properties.SecurityGroupIngress = [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: rule.from, ToPort: rule.to }];
    return t;
  }

  test('passes: the group\'s rule is the listener\'s own Ref', () => {
    expect(findings(seed({ from: { Ref: 'ListenerPort' }, to: { Ref: 'ListenerPort' } }), 'Portcullis-SG2')).toEqual([]);
  });

  test('fails closed: a literal port against the unknown listener port', () => {
    expect(findings(seed({ from: 8080, to: 8080 }), 'Portcullis-SG2')).toEqual([expect.stringMatching(/^PublicLoadBalancerSG: cannot evaluate Port of listener \w+ of PublicLoadBalancerSG: Ref to ListenerPort/)]);
  });
});

describe('Portcullis-LOG1: a retention that is set passes, whatever intrinsic sets it', () => {
  const logGroup = (retention: unknown) => ({
    Parameters: { Days: { Type: 'Number' } }, Conditions: { Long: { 'Fn::Equals': ['a', 'b'] } }, Mappings: { R: { Env: { Days: 30 } } },
    Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: retention === undefined ? {} : { RetentionInDays: retention } } },
  });

  test.each<[string, unknown]>([
    ['a Ref to a parameter without a default', { Ref: 'Days' }],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['R', 'Env', 'Days'] }],
    ['Fn::If with a value on both branches', { 'Fn::If': ['Long', 365, 30] }],
    ['a literal', 30],
  ])('passes: %s', (_name, retention) => {
    expect(findings(logGroup(retention), 'Portcullis-LOG1')).toEqual([]);
  });

  test.each<[string, unknown, string]>([
    ['no retention', undefined, 'Logs'],
    ['AWS::NoValue', { Ref: 'AWS::NoValue' }, 'Logs'],
    ['Fn::If with an AWS::NoValue branch', { 'Fn::If': ['Long', 365, { Ref: 'AWS::NoValue' }] }, 'Logs: cannot evaluate RetentionInDays of Logs: intrinsic Fn::If'],
    ['null', null, 'Logs: cannot evaluate RetentionInDays of Logs: null'],
  ])('flagged or cannot evaluate: %s', (_name, retention, expected) => {
    expect(findings(logGroup(retention), 'Portcullis-LOG1')).toEqual([expected]);
  });
});
