/**
 * Every resource type the estimator knows: priced by one of its lines, or free with a cited
 * reason. Any other type in a template is an **unpriced** line of the estimate (never a silent
 * zero), so that an estimate with no unpriced line has accounted for every resource.
 */

/** Types whose cost is in the estimate's lines (some of their settings may still be unpriced lines). */
export const PRICED_TYPES: ReadonlySet<string> = new Set([
  'AWS::ElasticLoadBalancingV2::LoadBalancer', // application: hours, LCUs, IPv4 (network/gateway: an unpriced line)
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::Instance', // NAT instances and other instances by type; their public IPv4
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::ECS::Service', // Fargate tasks; EC2 tasks through their container instances
  'AWS::ECS::Cluster', // its Container Insights setting
  'AWS::AutoScaling::AutoScalingGroup', // instances by launch-template type, EBS, public IPv4
  'AWS::EC2::VPCEndpoint', // interface: hours per AZ; gateway: free (a $0 note)
  'AWS::ApiGatewayV2::Api', // HTTP: requests (WebSocket: an unpriced line)
  'AWS::ServiceDiscovery::PrivateDnsNamespace', // a Route 53 private hosted zone
  'AWS::ServiceDiscovery::PublicDnsNamespace', // a Route 53 public hosted zone
  'AWS::ServiceDiscovery::HttpNamespace', // no hosted zone: registered instances only
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::KMS::Key',
  'AWS::CloudFront::Distribution',
  'AWS::Logs::LogGroup', // ingestion (by what writes to it) and storage (by its retention)
  'AWS::EC2::FlowLog', // ingestion into its log group (CloudWatch Logs destination)
  'AWS::Route53::HostedZone',
]);

/** Types with no charge of their own (at idle), each with the reason. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata': 'not an AWS resource: CDK version reporting',
  'AWS::EC2::VPC': 'no charge for a VPC (https://aws.amazon.com/vpc/pricing/)',
  'AWS::EC2::Subnet': 'no charge for subnets (https://aws.amazon.com/vpc/pricing/)',
  'AWS::EC2::RouteTable': 'no charge for route tables',
  'AWS::EC2::Route': 'no charge for routes',
  'AWS::EC2::SubnetRouteTableAssociation': 'no charge',
  'AWS::EC2::InternetGateway': 'no charge for an internet gateway; data transfer out is priced (https://aws.amazon.com/vpc/pricing/)',
  'AWS::EC2::VPCGatewayAttachment': 'no charge',
  'AWS::EC2::VPCCidrBlock': 'no charge for an Amazon-provided IPv6 block (IPv6 addresses are free)',
  'AWS::EC2::SubnetCidrBlock': 'no charge for IPv6 subnet blocks',
  'AWS::EC2::NetworkAcl': 'no charge for network ACLs',
  'AWS::EC2::NetworkAclEntry': 'no charge',
  'AWS::EC2::SubnetNetworkAclAssociation': 'no charge',
  'AWS::EC2::SecurityGroup': 'no charge for security groups',
  'AWS::EC2::SecurityGroupIngress': 'no charge',
  'AWS::EC2::SecurityGroupEgress': 'no charge',
  'AWS::EC2::LaunchTemplate': 'no charge for a launch template; the instances it starts are priced (Auto Scaling group)',
  'AWS::EC2::EIPAssociation': 'no charge; the Elastic IP is priced as public IPv4',
  'AWS::EC2::PrefixList': 'no charge for customer-managed prefix lists',
  'AWS::IAM::Role': 'IAM has no charge (https://aws.amazon.com/iam/faqs/)',
  'AWS::IAM::Policy': 'IAM has no charge',
  'AWS::IAM::ManagedPolicy': 'IAM has no charge',
  'AWS::IAM::InstanceProfile': 'IAM has no charge',
  'AWS::IAM::ServiceLinkedRole': 'IAM has no charge',
  'AWS::ECS::TaskDefinition': 'no charge for a task definition; its tasks are priced (service)',
  'AWS::ECS::ClusterCapacityProviderAssociations': 'no charge',
  'AWS::ECS::CapacityProvider': 'no charge for a capacity provider; its Auto Scaling group is priced',
  'AWS::ElasticLoadBalancingV2::Listener': 'part of the load balancer\'s hourly and LCU price',
  'AWS::ElasticLoadBalancingV2::ListenerRule': 'part of the load balancer\'s price (rule evaluations count in LCUs)',
  'AWS::ElasticLoadBalancingV2::ListenerCertificate': 'part of the load balancer\'s price',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'part of the load balancer\'s price',
  'AWS::Lambda::Function': 'no charge while not invoked (https://aws.amazon.com/lambda/pricing/); the templates\' functions are custom-resource handlers, invoked at deploy time only',
  'AWS::Lambda::Permission': 'no charge',
  'AWS::Lambda::LayerVersion': 'no charge for a layer (its code is stored with the functions)',
  'AWS::Events::Rule': 'no charge for rules matching AWS service events on the default event bus (https://aws.amazon.com/eventbridge/pricing/: "state change events published by AWS services ... free")',
  'AWS::SNS::Topic': 'no charge for a topic; an idle month publishes only the alarms\' state changes, far under the first million requests ($0.50 per million after)',
  'AWS::SNS::TopicPolicy': 'no charge',
  'AWS::SNS::TopicInlinePolicy': 'no charge',
  'AWS::SNS::Subscription': 'no charge for a subscription; an idle month delivers only alarm state changes (email $2.00 per 100,000)',
  'AWS::KMS::Alias': 'no charge for an alias',
  'AWS::ServiceDiscovery::Service': 'no charge for a Cloud Map service; its registered instances are priced',
  'AWS::ApiGatewayV2::VpcLink': 'no charge: "VPC link for HTTP APIs has no separate charge" (https://aws.amazon.com/api-gateway/pricing/)',
  'AWS::ApiGatewayV2::Integration': 'part of the API\'s per-request price',
  'AWS::ApiGatewayV2::Route': 'part of the API\'s per-request price',
  'AWS::ApiGatewayV2::Stage': 'part of the API\'s per-request price; its access logs are priced with the log group',
  'AWS::ApiGatewayV2::DomainName': 'no charge for a custom domain name of an API',
  'AWS::ApiGatewayV2::ApiMapping': 'no charge',
  'AWS::CloudFront::VpcOrigin': 'no charge: "VPC origins have no extra charge" (https://aws.amazon.com/cloudfront/pricing/)',
  'AWS::CloudFront::CachePolicy': 'no charge',
  'AWS::CloudFront::OriginRequestPolicy': 'no charge',
  'AWS::CloudFront::ResponseHeadersPolicy': 'no charge',
  'AWS::CertificateManager::Certificate': 'no charge for public ACM certificates (https://aws.amazon.com/certificate-manager/pricing/)',
  'AWS::Route53::RecordSet': 'no charge for records in a hosted zone; alias queries to AWS resources are free (https://aws.amazon.com/route53/pricing/)',
  'AWS::Route53::RecordSetGroup': 'no charge for records; alias queries to AWS resources are free',
  'AWS::CloudFormation::CustomResource': 'no charge: its handler runs at deploy time only',
  'AWS::CloudFormation::WaitConditionHandle': 'no charge',
  'AWS::SSM::Parameter': 'no charge for standard parameters',
};

/** Custom resources (`Custom::*`) run their handler at deploy time only: no idle charge. */
export const CUSTOM_RESOURCE_REASON = 'no charge: a custom resource\'s handler runs at deploy time only (its Lambda function is covered separately)';

/** Why a type is free, or undefined when it is neither free nor priced. */
export function freeReason(type: string): string | undefined {
  if (type.startsWith('Custom::')) return CUSTOM_RESOURCE_REASON;
  return Object.prototype.hasOwnProperty.call(FREE_TYPES, type) ? FREE_TYPES[type] : undefined;
}
