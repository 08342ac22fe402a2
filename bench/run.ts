// npm run bench: synthesizes each reference app and its peer (bench/peers.ts) in one process,
// alternating ours/peer, for several rounds, and prints the median CPU time per synth, the
// ratio ours/peer and the resource counts. The first round is a warm-up and is not counted.
// CDK_VALIDATION=false turns off aws-cdk-lib's own CloudFormation validation for both sides
// (it is not part of what either library does); policy packs are not attached.
import * as os from 'os';
import { App, Stack } from 'aws-cdk-lib';
import { Ec2AlbApiStack } from '../apps/ec2-alb-api/src/stack';
import { FargateAlbApiStack } from '../apps/fargate-alb-api/src/stack';
import { FargateApigwApiStack } from '../apps/fargate-apigw-api/src/stack';
import { PeerEc2Alb, PeerFargateAlb, PeerFargateApigw } from './peers';

type Factory = (app: App) => Stack;
const pairs: Array<{ name: string; peerName: string; ours: Factory; peer: Factory }> = [
  { name: 'fargate-alb-api', peerName: 'ecs-patterns ALB Fargate', ours: (a) => new FargateAlbApiStack(a, 'Ours'), peer: (a) => new PeerFargateAlb(a, 'Peer') },
  { name: 'ec2-alb-api', peerName: 'ecs-patterns ALB EC2', ours: (a) => new Ec2AlbApiStack(a, 'Ours'), peer: (a) => new PeerEc2Alb(a, 'Peer') },
  { name: 'fargate-apigw-api', peerName: 'apigatewayv2 + Cloud Map', ours: (a) => new FargateApigwApiStack(a, 'Ours'), peer: (a) => new PeerFargateApigw(a, 'Peer') },
];
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

function synth(factory: Factory): { ms: number; resources: number } {
  const start = process.cpuUsage();
  const app = new App();
  const stack = factory(app);
  const template = app.synth().getStackArtifact(stack.artifactId).template as { Resources?: Record<string, unknown> };
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, resources: Object.keys(template.Resources ?? {}).length };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

process.env.CDK_VALIDATION = 'false';
const times: Record<string, { ours: number[]; peer: number[]; oursResources: number; peerResources: number }> = {};
for (let round = 0; round <= rounds; round++) {
  for (const p of pairs) {
    const order: Array<'ours' | 'peer'> = round % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
    for (const side of order) {
      const r = synth(p[side]);
      const t = times[p.name] ??= { ours: [], peer: [], oursResources: 0, peerResources: 0 };
      if (round > 0) t[side].push(r.ms);
      if (side === 'ours') t.oursResources = r.resources; else t.peerResources = r.resources;
    }
  }
}

console.log(`Portcullis synth benchmark: ${rounds} rounds (+1 warm-up), median CPU ms per synth, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
const rows = [['app', 'ours ms', 'peer', 'peer ms', 'ratio', 'ours res.', 'peer res.']];
let worst = 0;
for (const p of pairs) {
  const t = times[p.name];
  const ratio = median(t.ours) / median(t.peer);
  worst = Math.max(worst, ratio);
  rows.push([p.name, median(t.ours).toFixed(0), p.peerName, median(t.peer).toFixed(0), ratio.toFixed(2), String(t.oursResources), String(t.peerResources)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
console.log(`worst ratio ${worst.toFixed(2)} (target <= 1.10): ${worst <= 1.1 ? 'met' : 'NOT met'}`);
