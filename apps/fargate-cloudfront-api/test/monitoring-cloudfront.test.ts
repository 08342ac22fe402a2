import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AlbIngress } from '@portcullis/alb-ingress';
import { CloudFrontIngress } from '@portcullis/cloudfront-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring, ApiMonitoringProps } from '@portcullis/monitoring';
import { Egress, Network } from '@portcullis/network';

/**
 * ApiMonitoring behind an AlbIngress with a CloudFront distribution in front (what
 * CloudFrontIngress builds): the distribution's 5xx error-rate alarm that
 * `AlbIngress.monitoringFor` gives, in each kind of Region. Moved from packages/monitoring,
 * which depends on the ingress contract only (its own tests use a test double of it).
 */
type Overrides = Omit<Partial<ApiMonitoringProps>, 'service' | 'ingress'>;
const ECR_IMAGE = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');
const ONE_MINUTE = { Period: 60 };
const MOSTLY = { EvaluationPeriods: 5, DatapointsToAlarm: 3 };
const COMMON = { ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' };

describe('a CloudFront distribution in front of the ALB (what CloudFrontIngress builds)', () => {
  /** An internal AlbIngress with a CloudFront VPC origin and distribution in front, in a stack of `region` (undefined: environment-agnostic). */
  function behindCloudFront(region: string | undefined, props: Overrides = {}, distributions = 1) {
    const stack = new Stack(new App(), 'Edge', region ? { env: { account: '123456789012', region } } : undefined);
    const azs = region ? [`${region}a`, `${region}b`] : undefined;
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: azs });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    // an image of the stack's own Region: without NAT, the tasks reach only its ECR endpoints
    const image = region ? ecs.ContainerImage.fromRegistry(`123456789012.dkr.ecr.${region}.amazonaws.com/api:1`) : ECR_IMAGE;
    const service = new ApiService(stack, 'Api', { cluster, image });
    const alb = new AlbIngress(stack, 'Alb', { network, service, internetFacing: false, allowedCidrs: [] });
    const origin = new cloudfront.VpcOrigin(stack, 'VpcOrigin', { endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(alb.loadBalancer) });
    const dists = Array.from({ length: distributions }, (_, i) => new cloudfront.Distribution(stack, `Distribution${i}`, {
      defaultBehavior: { origin: origins.VpcOrigin.withVpcOrigin(origin) },
    }));
    const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress: alb, ...props });
    return { stack, dists, monitoring, get template() { return Template.fromStack(stack); } };
  }
  const edgeAlarm = (template: Template, id = 'CloudFront5xxErrorRate') => Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm'))
    .filter(([logicalId]) => new RegExp(`^Monitoring${id}[0-9A-F]{8}$`).test(logicalId)).map(([, a]) => a);

  test('us-east-1: AWS/CloudFront 5xxErrorRate (DistributionId, Region=Global) average above 5 % in 3 of 5 minutes', () => {
    const { template, stack, dists } = behindCloudFront('us-east-1');
    const [a] = edgeAlarm(template);
    expect(a.Condition).toBeUndefined();
    expect(a.Properties).toMatchObject({
      Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Statistic: 'Average', Threshold: 5, ...ONE_MINUTE, ...MOSTLY, ...COMMON,
    });
    expect(a.Properties.Dimensions).toEqual(expect.arrayContaining([
      { Name: 'DistributionId', Value: stack.resolve(dists[0].distributionId) }, { Name: 'Region', Value: 'Global' },
    ]));
    expect(a.Properties.Dimensions).toHaveLength(2);
  });

  test('cloudFront5xxErrorRatePercent sets the threshold; two distributions, two alarms', () => {
    const { template } = behindCloudFront('us-east-1', { cloudFront5xxErrorRatePercent: 2 }, 2);
    expect(edgeAlarm(template, 'CloudFront15xxErrorRate')[0].Properties.Threshold).toBe(2);
    expect(edgeAlarm(template, 'CloudFront25xxErrorRate')[0].Properties.Threshold).toBe(2);
  });

  test('another Region (eu-west-1): no alarm (an alarm reads only its own Region\'s metrics), a warning naming CloudFrontErrorRateAlarm in a us-east-1 stack, and a graph of the us-east-1 metric', () => {
    const { template, stack, monitoring } = behindCloudFront('eu-west-1');
    expect(edgeAlarm(template)).toEqual([]);
    expect(monitoring.alarms.map((a) => a.node.id)).toContain('LoadBalancer5xxRate');
    Annotations.fromStack(stack).hasWarning('/Edge/Monitoring', Match.stringLikeRegexp('No CloudFront 5xx error-rate alarm: CloudFront publishes its metrics in us-east-1 only.*CloudFrontErrorRateAlarm'));
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toMatch(/AWS\/CloudFront.*5xxErrorRate.*Region.*Global.*us-east-1/);
  });

  test('environment-agnostic: the alarm exists only in us-east-1 (a condition on AWS::Region), and the alarm status widget does not reference it', () => {
    const { template, monitoring } = behindCloudFront(undefined);
    const [a] = edgeAlarm(template);
    const conditions = template.toJSON().Conditions;
    expect(conditions[a.Condition]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(monitoring.alarms.map((x) => x.node.id)).toContain('CloudFront5xxErrorRate');
    // an unconditional reference to a resource whose condition is false fails the deploy
    const logicalId = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).find((id) => id.startsWith('MonitoringCloudFront5xxErrorRate'))!;
    const referencing = Object.entries<any>(template.toJSON().Resources)
      .filter(([id, r]) => id !== logicalId && JSON.stringify(r).includes(`"${logicalId}"`) && r.Condition === undefined);
    expect(referencing.map(([id]) => id)).toEqual([]);
  });
});

describe('the CloudFrontIngress itself as `ingress` (it implements the ingress contract by its `alb`)', () => {
  function withCloudFrontIngress(props: Overrides = {}) {
    const stack = new Stack(new App(), 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const service = new ApiService(stack, 'Api', { cluster: new FargateCluster(stack, 'Cluster', { network }), image: ECR_IMAGE });
    const ingress = new CloudFrontIngress(stack, 'Ingress', { network, service });
    return { stack, ingress, make: (id: string, which: 'ingress' | 'alb') => new ApiMonitoring(stack, id, { service, ingress: which === 'ingress' ? ingress : ingress.alb, ...props }) };
  }

  test('the same alarms as its `alb`, the CloudFront one included', () => {
    const { make } = withCloudFrontIngress({ cloudFront5xxErrorRatePercent: 2 });
    const viaIngress = make('Monitoring', 'ingress').alarms.map((a) => a.node.id);
    expect(viaIngress).toEqual(make('MonitoringOfAlb', 'alb').alarms.map((a) => a.node.id));
    expect(viaIngress).toEqual(expect.arrayContaining(['Target5xxRate', 'LoadBalancer5xxRate', 'NoHealthyTargets', 'CloudFront5xxErrorRate']));
  });

  test('errors name it as a CloudFrontIngress', () => {
    const { make } = withCloudFrontIngress({ httpApi5xxRatePercent: 5 });
    expect(() => make('Monitoring', 'ingress')).toThrow(/^`httpApi5xxRatePercent` is for an ApiGatewayIngress, got 5 with a CloudFrontIngress: remove it, or set `target5xxRatePercent` \(its counterpart for a CloudFrontIngress\)/);
  });
});
