import * as vm from 'vm';
import { HANDLER_CODE, LOOKUP_ATTEMPTS, LOOKUP_INTERVAL_SECONDS } from '../src/private/vpc-origins-group-lookup';

/**
 * The lookup's handler (inline JavaScript) run in a sandbox, with the EC2 client and the
 * response PUT to CloudFormation replaced by fakes and the waits made instant: what it answers
 * CloudFormation for each request and each state of the VPC (F11).
 */
interface Run {
  readonly response: { Status: string; Reason: string; PhysicalResourceId: string; Data: Record<string, string> };
  readonly calls: Array<{ Filters: Array<{ Name: string; Values: string[] }> }>;
  readonly waitedMs: number;
}

async function run(event: Record<string, unknown>, answers: Array<string[] | Error>): Promise<Run> {
  const calls: Run['calls'] = [];
  const sent: string[] = [];
  let waitedMs = 0;
  const ec2 = {
    DescribeSecurityGroupsCommand: class { constructor(public readonly input: any) {} },
    EC2Client: class {
      public send(command: { input: Run['calls'][number] }) {
        calls.push(command.input);
        const answer = answers.length > 1 ? answers.shift()! : answers[0];
        if (answer instanceof Error) return Promise.reject(answer);
        return Promise.resolve({ SecurityGroups: answer.map((GroupId) => ({ GroupId })) });
      }
    },
  };
  const https = {
    request: (_options: unknown, done: () => void) => ({ on: () => undefined, end: (body: string) => { sent.push(body); done(); } }),
  };
  const module = { exports: {} as any };
  vm.runInNewContext(HANDLER_CODE, {
    require: (name: string) => ({ '@aws-sdk/client-ec2': ec2, 'https': https } as Record<string, unknown>)[name],
    exports: module.exports, module, Buffer, URL, String, console: { log: () => undefined },
    setTimeout: (f: () => void, ms: number) => { waitedMs += ms; setImmediate(f); },
  });
  await module.exports.handler({
    StackId: 'stack', RequestId: 'req', LogicalResourceId: 'Lookup', ResponseURL: 'https://cloudformation-custom-resource-response.example/path?sig=1', ...event,
  }, { logStreamName: 'log-stream' });
  expect(sent).toHaveLength(1);
  return { response: JSON.parse(sent[0]), calls, waitedMs };
}

const properties = { VpcId: 'vpc-1', GroupName: 'CloudFront-VPCOrigins-Service-SG', VpcOriginId: 'vo_abc' };

test('create: the group of that name in that VPC; its id is the physical id and the GroupId attribute', async () => {
  const { response, calls } = await run({ RequestType: 'Create', ResourceProperties: properties }, [['sg-0123']]);
  expect(calls).toEqual([{ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }, { Name: 'group-name', Values: ['CloudFront-VPCOrigins-Service-SG'] }] }]);
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'sg-0123', Data: { GroupId: 'sg-0123' } });
});

test('the group appears late: it reads again every 10 s until it is there', async () => {
  const { response, calls, waitedMs } = await run({ RequestType: 'Create', ResourceProperties: properties }, [[], [], ['sg-0123']]);
  expect(calls).toHaveLength(3);
  expect(waitedMs).toBe(2 * LOOKUP_INTERVAL_SECONDS * 1000);
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'sg-0123' });
});

test('the group is missing: FAILED after two minutes with a message that says what is missing and what to check (was a silent success, then "Vendor response doesn\'t contain SecurityGroups.0.GroupId")', async () => {
  const { response, calls } = await run({ RequestType: 'Create', ResourceProperties: properties }, [[]]);
  expect(calls).toHaveLength(LOOKUP_ATTEMPTS);
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toBe(`CloudFront security group CloudFront-VPCOrigins-Service-SG not found in vpc-1 after ${LOOKUP_ATTEMPTS * LOOKUP_INTERVAL_SECONDS} s. ` +
    'CloudFront creates it with the first VPC origin of a VPC (here vo_abc): check in the CloudFront console that the VPC origin is Deployed, ' +
    'that the VPC has an internet gateway attached, and that nobody deleted the group; then deploy again.');
  expect(response.PhysicalResourceId).toBe('log-stream');
});

test('update (a new VPC origin): reads again; a group CloudFront recreated has a new id, which becomes the physical id (the ingress rule follows)', async () => {
  const { response } = await run({ RequestType: 'Update', PhysicalResourceId: 'sg-old', ResourceProperties: { ...properties, VpcOriginId: 'vo_new' } }, [['sg-new']]);
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'sg-new', Data: { GroupId: 'sg-new' } });
});

test('an EC2 error (e.g. access denied) fails the resource with its message, keeping the physical id', async () => {
  const { response } = await run({ RequestType: 'Update', PhysicalResourceId: 'sg-old', ResourceProperties: properties }, [new Error('UnauthorizedOperation: not allowed')]);
  expect(response).toMatchObject({ Status: 'FAILED', Reason: 'UnauthorizedOperation: not allowed', PhysicalResourceId: 'sg-old' });
});

test('delete: nothing to do (the group is CloudFront\'s), no EC2 call', async () => {
  const { response, calls } = await run({ RequestType: 'Delete', PhysicalResourceId: 'sg-0123', ResourceProperties: properties }, [['sg-0123']]);
  expect(calls).toEqual([]);
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'sg-0123' });
});
