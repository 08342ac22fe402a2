import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Egress, Network, NetworkProps } from '../src';

// The constructor of Network is split into named steps (validate, VPC, egress addresses,
// endpoints, flow logs): that refactoring must not change one byte of any template. The
// fixtures in fixtures/steps/ were synthesized by the one-piece constructor (commit before
// the split); `WRITE_STEP_FIXTURES=1 npx jest test/network.steps.test.ts` rewrites them, only
// ever from a known-good version.
const ENV = { account: '123456789012', region: 'us-east-1' };

const VARIANTS: Array<[string, () => NetworkProps, typeof ENV | undefined]> = [
  ['nat-instance', () => ({ egress: Egress.natInstance({ instanceType: 't3.micro' }) }), ENV],
  ['nat-instance.env-agnostic', () => ({ egress: Egress.natInstance() }), undefined],
  ['none-ec2-capacity', () => ({ egress: Egress.none({ ec2Capacity: true }) }), ENV],
  ['none-isolated', () => ({ egress: Egress.none(), publicSubnets: false }), ENV],
  ['public-subnets-only', () => ({ egress: Egress.publicSubnetsOnly(), cidr: '10.2.0.0/22' }), ENV],
  ['explicit-azs', () => ({ availabilityZones: ['us-east-1a', 'us-east-1c', 'us-east-1d'], egress: Egress.singleNatGateway() }), ENV],
  ['interface-endpoints', () => ({
    egress: Egress.none(),
    interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, ec2.InterfaceVpcEndpointAwsService.ECR],
  }), ENV],
  ['flow-logs-all', () => ({
    cidr: '192.168.0.0/24', maxAzs: 2, flowLogTrafficType: ec2.FlowLogTrafficType.ALL,
    flowLogRetention: logs.RetentionDays.THREE_MONTHS, s3GatewayEndpoint: false,
  }), ENV],
  ['max-azs-1-no-flow-logs', () => ({ maxAzs: 1, flowLogs: false }), ENV],
];

function synth(props: NetworkProps, env: typeof ENV | undefined): string {
  const stack = new Stack(new App(), 'Test', { env });
  new Network(stack, 'Network', props);
  return JSON.stringify(Template.fromStack(stack).toJSON(), undefined, 2) + '\n';
}

test.each(VARIANTS)('%s: byte-identical to the template of the one-piece constructor', (name, props, env) => {
  const file = path.join(__dirname, 'fixtures', 'steps', `${name}.template.json`);
  const actual = synth(props(), env);
  if (process.env.WRITE_STEP_FIXTURES === '1') {
    fs.writeFileSync(file, actual);
  }
  expect(actual).toEqual(fs.readFileSync(file, 'utf8'));
});
