// The `cdk init app --language typescript`-style peer of the whole-process benchmark
// (bench/run.ts): a CDK app run by ts-node with type checking, as `cdk init` writes it
// (`npx ts-node --prefer-ts-exts bin/<app>.ts`), synthesizing the peer stack of one
// reference app: -c peer=fargate-alb-api | ec2-alb-api | fargate-apigw-api.
import { App } from 'aws-cdk-lib';
import { PeerEc2Alb, PeerFargateAlb, PeerFargateApigw } from './peers';

const app = new App();
const peer = String(app.node.tryGetContext('peer') ?? 'fargate-alb-api');
const peers: Record<string, () => void> = {
  'fargate-alb-api': () => new PeerFargateAlb(app, 'Peer'),
  'ec2-alb-api': () => new PeerEc2Alb(app, 'Peer'),
  'fargate-apigw-api': () => new PeerFargateApigw(app, 'Peer'),
};
if (!peers[peer]) throw new Error(`Context \`peer\` must be one of ${Object.keys(peers).join(', ')}, got '${peer}'`);
peers[peer]();
app.synth();
