import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ELB_LOG_DELIVERY_SERVICE, elbAccountRegions, logAccessLogs } from '../src/private/access-logs';

/** A load balancer with access logs to a new bucket, on a stack with or without a region. */
function build(region?: string) {
  const stack = new Stack(new App(), 'Test', region ? { env: { account: '123456789012', region } } : {});
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'LB', { vpc, internetFacing: true });
  const bucket = new s3.Bucket(stack, 'Logs', { enforceSSL: true });
  logAccessLogs(lb, bucket);
  return { stack, bucket };
}

/** The template (one full synth), for the environment-agnostic case. */
function synth() {
  return Template.fromStack(build().stack).toJSON();
}

/** Only the bucket policy, resolved as in the template (a full synth per Region would take minutes). */
function resolvedPolicy(region: string) {
  const { stack, bucket } = build(region);
  return { Conditions: {}, Resources: { Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: stack.resolve(bucket.policy!.document) } } } };
}

/** Evaluates the intrinsics used in a bucket policy the way CloudFormation would, for `region`. */
function evaluate(template: any, value: any, region: string): any {
  const partition = RegionInfo.get(region).partition ?? 'aws';
  const pseudo: Record<string, string> = { 'AWS::Region': region, 'AWS::Partition': partition, 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' };
  const ev = (v: any): any => {
    if (Array.isArray(v)) return v.map(ev);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const a = v[k];
      if (k === 'Ref') return pseudo[a] ?? `<${a}>`;
      if (k === 'Fn::GetAtt') return `<${a[0]}.${a[1]}>`;
      if (k === 'Fn::Join') return ev(a[1]).join(a[0]);
      if (k === 'Fn::If') return ev(condition(a[0])) ? ev(a[1]) : ev(a[2]);
      if (k === 'Fn::FindInMap') throw new Error('FindInMap is not expected: it fails in Regions the mapping does not list');
    }
    return Object.fromEntries(keys.map((key) => [key, ev(v[key])]));
  };
  const condition = (name: string): boolean => {
    const expr = template.Conditions?.[name];
    if (!expr) throw new Error(`no condition ${name}`);
    return test(expr);
  };
  const test = (expr: any): boolean => {
    if (expr.Condition) return condition(expr.Condition);
    if (expr['Fn::Equals']) return ev(expr['Fn::Equals'][0]) === ev(expr['Fn::Equals'][1]);
    if (expr['Fn::Or']) {
      expect(expr['Fn::Or'].length).toBeGreaterThanOrEqual(2); // CloudFormation's limits
      expect(expr['Fn::Or'].length).toBeLessThanOrEqual(10);
      return expr['Fn::Or'].some(test);
    }
    throw new Error(`unexpected condition ${JSON.stringify(expr)}`);
  };
  return ev(value);
}

function bucketPolicy(template: any, region: string) {
  const policy = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::S3::BucketPolicy');
  return evaluate(template, policy.Properties.PolicyDocument, region);
}

describe('access logs on an environment-agnostic stack', () => {
  const agnostic = synth();

  test('aws-cdk-lib alone throws "Region is required" there (what this helper exists for)', () => {
    const stack = new Stack(new App(), 'Plain');
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'LB', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), internetFacing: true });
    expect(() => lb.logAccessLogs(new s3.Bucket(stack, 'Logs'))).toThrow(/Region is required/);
  });

  test('logs on, the load balancer created after the bucket policy, no mapping lookup', () => {
    const lb = Object.values<any>(agnostic.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(lb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: { Ref: expect.stringMatching(/^Logs/) } },
    ]));
    expect(lb.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LogsPolicy/)]));
    expect(agnostic.Mappings).toBeUndefined();
    expect(JSON.stringify(agnostic)).not.toContain('Fn::FindInMap');
  });

  test('in every Region aws-cdk-lib knows, the deployed policy equals the one aws-cdk-lib writes for that Region', () => {
    const regions = RegionInfo.regions.map((r) => r.name);
    expect(regions.length).toBeGreaterThan(30);
    for (const region of regions) {
      expect({ region, policy: bucketPolicy(agnostic, region) }).toEqual({ region, policy: bucketPolicy(resolvedPolicy(region), region) });
    }
  });

  test('the Region\'s ELB account where it has one, else the log-delivery service principal (also in Regions newer than aws-cdk-lib)', () => {
    const writer = (region: string) => bucketPolicy(agnostic, region).Statement
      .find((s: any) => s.Action === 's3:PutObject' && !s.Condition && s.Effect === 'Allow').Principal;
    expect(writer('us-east-1')).toEqual({ AWS: 'arn:aws:iam::127311923021:root' });
    expect(writer('us-gov-west-1')).toEqual({ AWS: 'arn:aws-us-gov:iam::048591011584:root' });
    expect(writer('ap-southeast-4')).toEqual({ Service: ELB_LOG_DELIVERY_SERVICE });
    expect(writer('xx-future-1')).toEqual({ Service: ELB_LOG_DELIVERY_SERVICE });
    expect(Object.keys(agnostic.Conditions).length).toBe(elbAccountRegions().length + 1);
  });

  test('a KMS-encrypted bucket is refused, naming the fix', () => {
    const stack = new Stack(new App(), 'Kms');
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'LB', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), internetFacing: true });
    const bucket = new s3.Bucket(stack, 'Logs', { encryptionKey: new kms.Key(stack, 'Key') });
    expect(() => logAccessLogs(lb, bucket)).toThrow(/`accessLogsBucket` is encrypted with a KMS key: ALB access logs support SSE-S3 only/);
  });

  test('two load balancers in one stack share the Region conditions', () => {
    const stack = new Stack(new App(), 'Two');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    for (const id of ['A', 'B']) {
      logAccessLogs(new elbv2.ApplicationLoadBalancer(stack, `${id}LB`, { vpc, internetFacing: true }), new s3.Bucket(stack, `${id}Logs`));
    }
    expect(Object.keys(Template.fromStack(stack).toJSON().Conditions).length).toBe(elbAccountRegions().length + 1);
  });
});
