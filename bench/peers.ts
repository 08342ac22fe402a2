// Peer stacks for the benchmark: what a user writes today with aws-ecs-patterns and
// aws-apigatewayv2 for the same three environments (same VPC shape, task size and count).
import { Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

const IMAGE = 'public.ecr.aws/docker/library/nginx:latest';

function network(scope: Construct) {
  const vpc = new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 2 });
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  return { vpc, cluster };
}

export class PeerFargateAlb extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { cluster } = network(this);
    new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster, cpu: 256, memoryLimitMiB: 512, desiredCount: 2, taskImageOptions: { image: ecs.ContainerImage.fromRegistry(IMAGE) },
    });
  }
}

export class PeerEc2Alb extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { vpc, cluster } = network(this);
    const asg = new autoscaling.AutoScalingGroup(this, 'Asg', {
      vpc, instanceType: new ec2.InstanceType('t3.medium'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(), minCapacity: 0, maxCapacity: 100,
    });
    cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(this, 'Cp', { autoScalingGroup: asg }));
    const taskDefinition = new ecs.Ec2TaskDefinition(this, 'Task', { networkMode: ecs.NetworkMode.AWS_VPC });
    taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry(IMAGE), cpu: 256, memoryLimitMiB: 512, portMappings: [{ containerPort: 80 }] });
    new ecsPatterns.ApplicationLoadBalancedEc2Service(this, 'Api', { cluster, taskDefinition, desiredCount: 2 });
  }
}

export class PeerFargateApigw extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { vpc, cluster } = network(this);
    const namespace = new servicediscovery.PrivateDnsNamespace(this, 'Ns', { name: 'internal', vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry(IMAGE), portMappings: [{ containerPort: 80 }], logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }) });
    const service = new ecs.FargateService(this, 'Service', {
      cluster, taskDefinition, desiredCount: 2,
      cloudMapOptions: { cloudMapNamespace: namespace, dnsRecordType: servicediscovery.DnsRecordType.SRV, dnsTtl: Duration.seconds(0) },
    });
    const linkGroup = new ec2.SecurityGroup(this, 'LinkGroup', { vpc });
    const vpcLink = new apigwv2.VpcLink(this, 'Link', { vpc, securityGroups: [linkGroup] });
    service.connections.allowFrom(linkGroup, ec2.Port.tcp(80));
    new apigwv2.HttpApi(this, 'Api', {
      defaultIntegration: new integrations.HttpServiceDiscoveryIntegration('Integration', service.cloudMapService!, { vpcLink }),
    });
  }
}
