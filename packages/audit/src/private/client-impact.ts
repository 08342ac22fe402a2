// The resource types whose replacement or removal breaks the people who use a stack:
// partners allow-listing egress IPs, clients calling a URL, operators reading history.
// This is a list of *what matters to users*; *what is replaced* comes from the resource
// specification (see replacement-analysis.ts).

export interface ClientImpact {
  /** What users lose when the resource is replaced (a new physical resource). */
  readonly replaced: string;
  /** What users lose when the resource is deleted. */
  readonly removed: string;
  /** A removal with DeletionPolicy Retain keeps what users rely on (e.g. a log group's history). */
  readonly retainKeepsIt?: boolean;
}

export const CLIENT_FACING: Record<string, ClientImpact> = {
  'AWS::EC2::EIP': {
    replaced: 'the Elastic IP address changes: partners who allow-list your egress IPs block your traffic',
    removed: 'the Elastic IP address is released: partners who allow-list your egress IPs block your traffic, and the address is gone for good',
  },
  'AWS::EC2::NatGateway': {
    replaced: 'the NAT gateway is recreated: outbound connections from private subnets drop, and its Elastic IP must move to the new gateway (partners allow-list it)',
    removed: 'the NAT gateway is deleted: private subnets routed through it lose outbound access, and its egress IP disappears from what partners allow-list',
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    replaced: "the load balancer's DNS name changes: clients, DNS records (CNAME/alias) and partner configurations that point at it break",
    removed: "the load balancer is deleted: its DNS name stops resolving and every client calling it fails",
  },
  'AWS::ApiGatewayV2::Api': {
    replaced: "the API's id and its execute-api URL change: clients calling the URL break",
    removed: "the API is deleted: its URL stops working for every client",
  },
  'AWS::ApiGatewayV2::Stage': {
    replaced: "the stage is deleted and recreated: requests to the API's URL fail in between, and stage settings start over",
    removed: "the stage is deleted: the API's URL for it returns errors",
  },
  'AWS::ApiGatewayV2::DomainName': {
    replaced: "the custom domain is recreated with a new regional target: DNS records pointing at the old one break",
    removed: 'the custom domain is deleted: clients using your custom URL fail',
  },
  'AWS::ApiGatewayV2::ApiMapping': {
    replaced: "the custom domain's mapping is recreated: requests to the custom URL fail while it is missing",
    removed: "the custom domain's mapping is deleted: the custom URL no longer reaches the API",
  },
  'AWS::EC2::VPC': {
    replaced: 'the VPC is recreated: every subnet, NAT gateway, load balancer and task in it is recreated with new ids and addresses',
    removed: 'the VPC is deleted, and everything in it',
  },
  'AWS::EC2::Subnet': {
    replaced: 'the subnet is recreated: what runs in it (NAT gateway, load balancer nodes, tasks) is recreated with new addresses',
    removed: 'the subnet is deleted: what ran in it moves or goes away, and its addresses change',
  },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    replaced: 'the Cloud Map namespace is recreated: its id changes and service names stop resolving until every service re-registers (an HTTP API integration points at the old one)',
    removed: 'the Cloud Map namespace is deleted: service discovery names stop resolving',
  },
  'AWS::ServiceDiscovery::HttpNamespace': {
    replaced: 'the Cloud Map namespace is recreated: its id changes and services must re-register; integrations that point at it break',
    removed: 'the Cloud Map namespace is deleted: service discovery stops working',
  },
  'AWS::ServiceDiscovery::PublicDnsNamespace': {
    replaced: 'the public Cloud Map namespace is recreated: a new hosted zone with new name servers, so public names stop resolving',
    removed: 'the public Cloud Map namespace is deleted: public names stop resolving',
  },
  'AWS::Logs::LogGroup': {
    replaced: "the log group is deleted and recreated: its log history is lost",
    removed: 'the log group is deleted: its log history is lost',
    retainKeepsIt: true,
  },
  'AWS::CloudFront::Distribution': {
    replaced: "the distribution's domain name (dxxxx.cloudfront.net) changes: DNS records and clients using it break, and the new one takes minutes to deploy",
    removed: 'the distribution is deleted: its URL stops working for every client',
  },
};

const NOTES: Record<string, string> = {
  'AWS::ECS::TaskDefinition': 'a new task definition revision: normal for a deployment',
};

/** Whether the change breaks users, and why, in words. */
export function clientImpact(type: string, change: 'UPDATE' | 'REPLACE' | 'MAY_REPLACE' | 'REMOVE', retained: boolean): { breaksClients: boolean; impact: string } {
  if (change === 'UPDATE') return { breaksClients: false, impact: 'updated in place (same physical id)' };
  const known = CLIENT_FACING[type];
  const retainedNote = retained ? ' (DeletionPolicy Retain: the resource is kept, but the stack no longer manages it)' : '';
  if (known) {
    if (change === 'REMOVE') {
      if (retained && known.retainKeepsIt) return { breaksClients: false, impact: 'removed from the stack but kept (DeletionPolicy Retain): nothing users rely on is lost; the stack no longer manages it' };
      return { breaksClients: true, impact: known.removed + retainedNote };
    }
    return { breaksClients: true, impact: change === 'MAY_REPLACE' ? `may be replaced (depends on the new value): if so, ${known.replaced}` : known.replaced };
  }
  const note = NOTES[type];
  if (change === 'REMOVE') return { breaksClients: false, impact: `deleted${retainedNote}; not a client-facing type` };
  if (note) return { breaksClients: false, impact: note };
  return {
    breaksClients: false,
    impact: `${change === 'MAY_REPLACE' ? 'may be recreated' : 'recreated'} with a new physical id (dependents follow); not a client-facing type`,
  };
}
