// Synth time of the 100-service platform (issue 25): the platform and 100 canary service stacks,
// each with its own monitoring, over three load balancers, as apps/fargate-alb-api/test/platform-100-services.test.ts
// composes them. Prints the CPU and wall time of construction + synth (median of BENCH_ROUNDS, 3 by
// default, after a warm-up), and the largest service stack. Run after building the packages:
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/platform-100.ts
// CDK_VALIDATION=false turns off aws-cdk-lib's built-in CloudFormation validation (on by default, as in the test).
import * as os from 'os';
import { hundredServices } from '../apps/fargate-alb-api/test/support/hundred-services';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const cpu: number[] = [];
const wall: number[] = [];
let largest = 0;
let stacks = 0;
for (let round = 0; round <= rounds; round++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const assembly = hundredServices(100).app.synth();
  const c = process.cpuUsage(c0);
  if (round === 0) continue; // warm-up
  cpu.push((c.user + c.system) / 1000);
  wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
  stacks = assembly.stacks.length;
  largest = Math.max(...assembly.stacks.filter((s) => s.stackName !== 'Platform').map((s) => Object.keys((s.template as { Resources?: object }).Resources ?? {}).length));
}
console.log(`Portcullis 100-service platform: ${stacks} stacks, ${rounds} rounds (+1 warm-up), ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`construct + synth: median CPU ${(median(cpu) / 1000).toFixed(1)} s, wall ${(median(wall) / 1000).toFixed(1)} s; largest service stack ${largest} resources`);
