import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { ApiMonitoring } from '../src';
import { FakeIngress } from './support/fake-ingress';

/**
 * A platform watches its network once (issue 25, item 3): the NAT alarms belong to the
 * monitoring in the network's stack; a service's monitoring in a stack of its own has none
 * unless `networkAlarms: true`.
 */
function platform() {
  const app = new App();
  const stack = new Stack(app, 'Platform');
  const network = new Network(stack, 'Network', { egress: Egress.natGatewayPerAz(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  return { app, stack, network, cluster };
}

const natAlarms = (stack: Stack) => Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).filter((id) => /^MonitoringNat\d/.test(id));

test('in the network\'s stack: the egress alarms of every NAT gateway (2 per gateway)', () => {
  const p = platform();
  const service = new ApiService(p.stack, 'Fallback', { cluster: p.cluster });
  new ApiMonitoring(p.stack, 'Monitoring', { service, ingress: new FakeIngress(p.stack, 'Ingress', { network: p.network, services: [service], kind: 'plain' }) });
  expect(natAlarms(p.stack)).toHaveLength(4);
});

test('in a service\'s own stack: no egress alarm by default, the same ones with networkAlarms: true', () => {
  const p = platform();
  const [quiet, loud] = ['Svc1', 'Svc2'].map((id) => {
    const stack = new Stack(p.app, id);
    const service = new ApiService(stack, 'Api', { cluster: p.cluster });
    return { stack, service, ingress: new FakeIngress(stack, 'Ingress', { network: p.network, services: [service], kind: 'plain' }) };
  });
  new ApiMonitoring(quiet.stack, 'Monitoring', { service: quiet.service, ingress: quiet.ingress });
  new ApiMonitoring(loud.stack, 'Monitoring', { service: loud.service, ingress: loud.ingress, networkAlarms: true });
  expect(natAlarms(quiet.stack)).toEqual([]);
  expect(natAlarms(loud.stack)).toHaveLength(4);
});

test('networkAlarms: false in the network\'s stack leaves them out', () => {
  const p = platform();
  const service = new ApiService(p.stack, 'Fallback', { cluster: p.cluster });
  new ApiMonitoring(p.stack, 'Monitoring', { service, ingress: new FakeIngress(p.stack, 'Ingress', { network: p.network, services: [service], kind: 'plain' }), networkAlarms: false });
  expect(natAlarms(p.stack)).toEqual([]);
});
