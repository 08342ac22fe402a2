import { Annotations, CfnRule, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { Egress, EgressKind } from './egress';
import { INetwork } from './network';
import { wholeNumber } from './private/validate';

/** Properties of {@link PlatformParameters.importNetwork}: the shape of the published network, known at synth. */
export interface ImportedNetworkProps {
  /** The platform's name, as it published itself. */
  readonly platformName: string;
  /**
   * How many availability zones the network has (one private and one public subnet in each).
   *
   * @default 2 - a `Network`'s default
   */
  readonly availabilityZoneCount?: number;
  /**
   * Whether the network has private subnets (false for `Egress.publicSubnetsOnly()`).
   *
   * @default true
   */
  readonly privateSubnets?: boolean;
  /**
   * Whether the network has public subnets (false for `publicSubnets: false`).
   *
   * @default true
   */
  readonly publicSubnets?: boolean;
  /**
   * Whether the private subnets reach the internet (false for `Egress.none()`: images must come
   * from private ECR, and services check it at synth).
   *
   * @default true
   */
  readonly internetEgress?: boolean;
  /**
   * Whether the network is dual-stack (`ipv6: true`).
   *
   * @default false
   */
  readonly ipv6?: boolean;
}

/** The synth-time facts of a published network, in the form they are published and checked. */
interface NetworkShape {
  readonly availabilityZones: number;
  readonly privateSubnets: boolean;
  readonly publicSubnets: boolean;
  readonly internetEgress: boolean;
  readonly ipv6: boolean;
}

/**
 * SSM Parameter Store names a platform publishes what its services need under, and how a service
 * reads them: `/portcullis/<platformName>/<key>`. A service stack (in the platform's CDK app or in
 * another one) reads each value **at deploy time**, through a CloudFormation parameter of type
 * `AWS::SSM::Parameter::Value<String>`: no CloudFormation export, so the platform can change or
 * drop a value while services use it (aws-cdk#7602, aws-cdk#34332), and the CDK CLI deploys a
 * stack with such parameters every time (it cannot know the values), so a service stack picks up
 * a new value at its next `cdk deploy`. What a service needs at synth (the number of AZs, whether
 * there is internet egress, the cluster's capacity) is given in code and checked at deploy time
 * by a CloudFormation rule against the published shape: a mismatch fails the deploy before any
 * change, naming the parameter and the fix. See the README's "A platform other CDK apps join".
 */
export class PlatformParameters {
  /** The prefix of every parameter. */
  public static readonly ROOT = '/portcullis';

  /**
   * The parameter name of `key` of the platform `platformName`: `/portcullis/<platformName>/<key>`.
   * `platformName` is 1 to 64 letters, digits, `-`, `_` and `.`; `key` is one or more such
   * segments joined by `/`.
   */
  public static parameterName(platformName: string, key: string): string {
    checkName('platformName', platformName, /^[A-Za-z0-9_.-]{1,64}$/, "1 to 64 letters, digits, '-', '_' and '.', e.g. 'shop'");
    checkName('key', key, /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/, "segments of letters, digits, '-', '_' and '.' joined by '/', e.g. 'network/vpc-id'");
    return `${PlatformParameters.ROOT}/${platformName}/${key}`;
  }

  /**
   * Publishes `value` (a token is fine: it is written at deploy time) as the String parameter
   * `/portcullis/<platformName>/<key>`, created in `scope` with the id `key`.
   */
  public static publish(scope: Construct, platformName: string, key: string, value: string, description?: string): ssm.StringParameter {
    const name = PlatformParameters.parameterName(platformName, key);
    if (!Token.isUnresolved(value) && value.length === 0) {
      throw new Error(`The value of the platform parameter '${name}' is empty: SSM parameters cannot be empty; publish only what exists`);
    }
    return new ssm.StringParameter(scope, key, {
      parameterName: name,
      stringValue: value,
      description: description ?? `Portcullis platform '${platformName}': ${key}`,
      tier: ssm.ParameterTier.STANDARD,
    });
  }

  /**
   * The value of `/portcullis/<platformName>/<key>` at deploy time: a token for a CloudFormation
   * parameter of type `AWS::SSM::Parameter::Value<String>` in `scope`'s stack (one per name and
   * stack), which CloudFormation resolves at every deployment of that stack.
   */
  public static valueAtDeploy(scope: Construct, platformName: string, key: string): string {
    return ssm.StringParameter.valueForStringParameter(scope, PlatformParameters.parameterName(platformName, key));
  }

  /**
   * Makes the deployment of `scope`'s stack fail, before it changes anything, when the
   * published `key` is not `expected`: a CloudFormation rule on the parameter's value, whose
   * message names the parameter, the value expected and `fix`.
   */
  public static expectValue(scope: Construct, platformName: string, key: string, expected: string, fix: string): void {
    const stack = Stack.of(scope);
    const name = PlatformParameters.parameterName(platformName, key);
    const id = `PortcullisExpect${name.replace(/[^A-Za-z0-9]/g, '')}`;
    if (stack.node.tryFindChild(id)) return;
    const actual = PlatformParameters.valueAtDeploy(stack, platformName, key);
    new CfnRule(stack, id, {
      assertions: [{
        assert: Fn.conditionEquals(actual, expected),
        assertDescription: `The platform parameter ${name} is not '${expected}', what this stack was synthesized for: ${fix}`,
      }],
    });
  }

  /**
   * Publishes what a service needs of `network` under `/portcullis/<platformName>/network/`:
   * `vpc-id`, `vpc-cidr`, `availability-zones`, `private-subnet-ids` and `public-subnet-ids`
   * with their `...-route-table-ids` (comma-separated, one per AZ, in the order of the AZs; left
   * out when there are none) and
   * `shape` (what {@link importNetwork} checks).
   */
  public static publishNetwork(scope: Construct, platformName: string, network: INetwork): void {
    const parameters = new Construct(scope, 'NetworkParameters');
    const privateSubnets = network.privateSubnets.subnets ?? [];
    const publicSubnets = network.publicSubnets.subnets ?? [];
    const azs = (privateSubnets.length > 0 ? privateSubnets : publicSubnets).map((s) => s.availabilityZone);
    const shape = shapeOf({
      availabilityZones: azs.length,
      privateSubnets: privateSubnets.length > 0,
      publicSubnets: publicSubnets.length > 0,
      internetEgress: network.egress?.kind !== EgressKind.NONE,
      ipv6: network.ipv6Enabled ?? false,
    });
    const put = (key: string, value: string, description: string) =>
      PlatformParameters.publish(parameters, platformName, `network/${key}`, value, `Portcullis platform '${platformName}': ${description}`);
    put('vpc-id', network.vpc.vpcId, 'the VPC');
    put('vpc-cidr', network.vpc.vpcCidrBlock, 'the VPC\'s IPv4 block');
    put('availability-zones', Fn.join(',', azs), 'the availability zones, in subnet order');
    if (privateSubnets.length > 0) {
      put('private-subnet-ids', Fn.join(',', privateSubnets.map((s) => s.subnetId)), 'the private subnets, one per AZ');
      put('private-route-table-ids', Fn.join(',', privateSubnets.map((s) => s.routeTable.routeTableId)), 'the private subnets\' route tables, in subnet order');
    }
    if (publicSubnets.length > 0) {
      put('public-subnet-ids', Fn.join(',', publicSubnets.map((s) => s.subnetId)), 'the public subnets, one per AZ');
      put('public-route-table-ids', Fn.join(',', publicSubnets.map((s) => s.routeTable.routeTableId)), 'the public subnets\' route tables, in subnet order');
    }
    put('shape', shape, 'the network\'s shape: what services synthesize for (checked by each service stack at deploy time)');
  }

  /**
   * The network a platform published under `/portcullis/<platformName>/network/`, read at
   * deploy time in `scope`'s stack (no CloudFormation export). Its shape is given here
   * (`availabilityZoneCount`, ...) and checked at deploy time against the published one.
   * What a service needs is read: the VPC id and the subnets its tasks run in. The rest
   * (the VPC's CIDR, the AZ names, the route tables, the other subnets) is not, so that no
   * CloudFormation parameter goes unused: rendering one of them fails the synth, naming the
   * parameter to read with {@link valueAtDeploy}.
   */
  public static importNetwork(scope: Construct, id: string, props: ImportedNetworkProps): INetwork {
    return new ImportedPlatformNetwork(scope, id, props);
  }
}

/** `availabilityZones=2,privateSubnets=true,...`: the published form of a network's shape. */
function shapeOf(shape: NetworkShape): string {
  return `availabilityZones=${shape.availabilityZones},privateSubnets=${shape.privateSubnets},publicSubnets=${shape.publicSubnets},internetEgress=${shape.internetEgress},ipv6=${shape.ipv6}`;
}

function checkName(prop: string, value: string, pattern: RegExp, what: string): void {
  if (Token.isUnresolved(value)) {
    throw new Error(`\`${prop}\` must be known at synth (it names SSM parameters and CloudFormation parameters), got a token: write it, e.g. 'shop'`);
  }
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new Error(`\`${prop}\` must be ${what}, got ${JSON.stringify(value)}`);
  }
}

class ImportedPlatformNetwork extends Construct implements INetwork {
  public readonly vpc: ec2.IVpc;
  public readonly publicSubnets: ec2.SubnetSelection;
  public readonly privateSubnets: ec2.SubnetSelection;
  public readonly egressIps: string[] = [];
  public readonly egressIpsKnown: boolean = false;
  public readonly availabilityZonesExplicit: boolean = true;
  public readonly egress?: Egress;
  public readonly ipv6Enabled: boolean;

  constructor(scope: Construct, id: string, props: ImportedNetworkProps) {
    super(scope, id);
    const shape: NetworkShape = {
      availabilityZones: props.availabilityZoneCount ?? 2,
      privateSubnets: props.privateSubnets ?? true,
      publicSubnets: props.publicSubnets ?? true,
      internetEgress: props.internetEgress ?? true,
      ipv6: props.ipv6 ?? false,
    };
    wholeNumber('availabilityZoneCount', shape.availabilityZones, { min: 1, max: 16, fix: 'give the number of AZs of the platform\'s network (a Network has 2 by default)' });
    if (!shape.privateSubnets && !shape.publicSubnets) {
      throw new Error('`privateSubnets` and `publicSubnets` are both false: a platform network has subnets of at least one kind; give the shape of the published network');
    }
    const name = props.platformName;
    const value = (key: string) => PlatformParameters.valueAtDeploy(this, name, `network/${key}`);
    const list = (key: string) => Fn.split(',', value(key), shape.availabilityZones);
    // What services rarely use is not read (a CloudFormation parameter nothing references is
    // template noise, and counts toward the 200 parameters of a stack): a token that fails the
    // synth, naming how to read it, if something renders it after all.
    const unread = (key: string, what: string) => Array.from({ length: shape.availabilityZones }, () => Lazy.string({
      produce: () => {
        throw new Error(`${what} of the network of the platform '${name}' imported with Platform.fromParameters is not read at deploy time (no parameter for it): ` +
          `read it with PlatformParameters.valueAtDeploy(scope, '${name}', 'network/${key}') (comma-separated, one per AZ)`);
      },
    }));
    PlatformParameters.expectValue(this, name, 'network/shape', shapeOf(shape),
      'give Platform.fromParameters (or PlatformParameters.importNetwork) the shape the platform published (availabilityZoneCount, privateSubnets, publicSubnets, internetEgress, ipv6), then synthesize and deploy again');
    // Services run in the private subnets (the public ones only on a network without them).
    const tasksInPublic = !shape.privateSubnets;
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: value('vpc-id'),
      availabilityZones: unread('availability-zones', 'The availability zones'),
      privateSubnetIds: shape.privateSubnets ? list('private-subnet-ids') : undefined,
      privateSubnetRouteTableIds: shape.privateSubnets ? unread('private-route-table-ids', 'The private route tables') : undefined,
      publicSubnetIds: shape.publicSubnets ? (tasksInPublic ? list('public-subnet-ids') : unread('public-subnet-ids', 'The public subnets')) : undefined,
      publicSubnetRouteTableIds: shape.publicSubnets ? unread('public-route-table-ids', 'The public route tables') : undefined,
    });
    this.publicSubnets = { subnets: this.vpc.publicSubnets };
    this.privateSubnets = { subnets: this.vpc.privateSubnets };
    this.egress = !shape.privateSubnets ? Egress.publicSubnetsOnly() : shape.internetEgress ? undefined : Egress.none();
    this.ipv6Enabled = shape.ipv6;
    Annotations.of(this).addInfo(`Network of the platform '${name}', read at deploy time from SSM parameters under ${PlatformParameters.parameterName(name, 'network')}/`);
  }
}
