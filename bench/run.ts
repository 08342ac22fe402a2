// npm run bench: synthesizes each reference app and its peer (bench/peers.ts) in one process,
// alternating ours/peer, for several rounds, and prints the median CPU time per synth, the
// ratio ours/peer and the resource counts. The first round is a warm-up and is not counted.
// CDK_VALIDATION=false turns off aws-cdk-lib's own CloudFormation validation for both sides
// (it is not part of what either library does); policy packs are not attached.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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

// ---------------------------------------------------------------------------------------
// Whole process: `cdk synth` of each app (its cdk.json: transpile-only runner, policy packs
// on) against a `cdk init`-style peer app (bench/peer-app: ts-node with type checking, no
// policy packs), wall time, alternating which goes first, medians over WHOLE_ROUNDS rounds
// (+1 warm-up, not counted). What a user waits for after `npx cdk synth`.
const wholeRounds = Number(process.env.WHOLE_ROUNDS ?? (rounds >= 15 ? 5 : 1));
if (wholeRounds > 0) {
  const root = path.resolve(__dirname, '..');
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-whole-'));
  const wall = (cwd: string, args: string[]): number => {
    const started = process.hrtime.bigint();
    const run = spawnSync(cdk, ['synth', '--quiet', '-o', path.join(out, String(started)), ...args], { cwd, encoding: 'utf8', env: { ...process.env, CDK_VALIDATION: undefined } });
    if (run.status !== 0) throw new Error(`cdk synth in ${cwd} failed (${run.status}):\n${run.stdout}${run.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const loadBefore = os.loadavg();
  const whole: Record<string, { ours: number[]; peer: number[] }> = {};
  for (let round = 0; round <= wholeRounds; round++) {
    for (const p of pairs) {
      const order: Array<'ours' | 'peer'> = round % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
      for (const side of order) {
        const ms = side === 'ours'
          ? wall(path.join(root, 'apps', p.name), [])
          : wall(path.join(root, 'bench', 'peer-app'), ['-c', `peer=${p.name}`]);
        const w = whole[p.name] ??= { ours: [], peer: [] };
        if (round > 0) w[side].push(ms);
      }
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
  const loadAfter = os.loadavg();
  console.log('');
  console.log(`Whole process: \`cdk synth\` wall time, ${wholeRounds} rounds (+1 warm-up), medians; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
  const wrows = [['app', 'ours s', 'peer (cdk init + ts-node) s', 'ratio']];
  let wworst = 0;
  for (const p of pairs) {
    const w = whole[p.name];
    const ratio = median(w.ours) / median(w.peer);
    wworst = Math.max(wworst, ratio);
    wrows.push([p.name, (median(w.ours) / 1000).toFixed(2), (median(w.peer) / 1000).toFixed(2), ratio.toFixed(2)]);
  }
  const wwidths = wrows[0].map((_, i) => Math.max(...wrows.map((r) => r[i].length)));
  for (const r of wrows) console.log(r.map((c, i) => c.padEnd(wwidths[i])).join('  '));
  console.log(`worst whole-process ratio ${wworst.toFixed(2)} (target <= 0.45): ${wworst <= 0.45 ? 'met' : 'NOT met'}`);
}
