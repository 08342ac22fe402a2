/**
 * EC2 instances and Auto Scaling groups: their public IPv4 addresses and EBS volumes, as the
 * template (and the launch template it names) says.
 */
import { isUnknown, TemplateIndex } from './template';

/**
 * Root volume of an AMI when the template does not size it, GB: Amazon ECS-optimized AMIs
 * (an image from an `/aws/service/ecs/` SSM parameter) have 30 GB, Amazon Linux 2023 has 8 GB
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_AMI.html,
 * https://docs.aws.amazon.com/linux/al2023/ug/ec2.html).
 */
export function defaultRootVolumeGb(image: unknown): number {
  return typeof image === 'string' && /\/ecs\//.test(image) ? 30 : 8;
}

/** The SSM path behind an `ImageId` that is a `Ref` to an SSM parameter (its `Default`), if any. */
export function imageHint(t: TemplateIndex, imageId: unknown): string | undefined {
  const ref = imageId && typeof imageId === 'object' ? (imageId as { Ref?: unknown }).Ref : undefined;
  if (typeof ref !== 'string') return undefined;
  const value = t.parameterDefault(ref);
  return typeof value === 'string' ? value : undefined;
}

/**
 * The EBS volumes of an instance or launch template data (`BlockDeviceMappings`): each `Ebs`
 * mapping at its `VolumeSize` and `VolumeType`, or, when not given, the AMI's (size by
 * {@link defaultRootVolumeGb}, type gp3, as the current Amazon Linux AMIs); no mapping at all
 * is the AMI's root volume.
 */
export function ebsVolumes(t: TemplateIndex, data: any, image: unknown, id: string, warnings: string[]): Array<{ gb: number; type: string; note: string }> {
  const mappings = t.list(data, 'BlockDeviceMappings');
  if (isUnknown(mappings)) {
    warnings.push(`${mappings.message(id)} (EBS not counted)`);
    return [];
  }
  const rootGb = defaultRootVolumeGb(image);
  const amiNote = `${id}: a volume the template does not size is counted at the AMI's ${rootGb} GB (${rootGb === 30 ? 'ECS-optimized' : 'Amazon Linux 2023'}): set VolumeSize to price it exactly`;
  if (mappings.length === 0) return [{ gb: rootGb, type: 'gp3', note: amiNote }];
  const out: Array<{ gb: number; type: string; note: string }> = [];
  for (const m of mappings) {
    if (!m || typeof m !== 'object' || m.Ebs === undefined) continue;
    const size = t.number(t.get(m, 'Ebs.VolumeSize'));
    const type = t.scalar(m, 'Ebs.VolumeType');
    out.push({
      gb: size ?? rootGb,
      type: typeof type === 'string' ? type : 'gp3',
      note: size === undefined ? amiNote : '',
    });
  }
  return out;
}

/** Whether an `AWS::EC2::Instance` gets a public IPv4 address: its network interface asks for one, or its subnet maps one. */
export function instanceHasPublicIp(t: TemplateIndex, inst: any): boolean {
  if (interfacesAskPublicIp(t, inst)) return true;
  const subnet = t.target(inst.SubnetId);
  return subnet !== undefined && mapsPublicIp(t, subnet);
}

/** Whether the instances of an Auto Scaling group get public IPv4 addresses (launch template or subnets). */
export function asgHasPublicIp(t: TemplateIndex, asg: any): boolean {
  const ltId = t.target(t.get(asg, 'LaunchTemplate.LaunchTemplateId'));
  const data = ltId && t.has(ltId) ? t.get(t.props(ltId), 'LaunchTemplateData') : undefined;
  if (data && typeof data === 'object' && !isUnknown(data) && interfacesAskPublicIp(t, data)) return true;
  const subnets = t.list(asg, 'VPCZoneIdentifier');
  return !isUnknown(subnets) && subnets.some((s: unknown) => {
    const id = t.target(s);
    return id !== undefined && mapsPublicIp(t, id);
  });
}

function interfacesAskPublicIp(t: TemplateIndex, obj: any): boolean {
  const nics = t.list(obj, 'NetworkInterfaces');
  return !isUnknown(nics) && nics.some((n: unknown) => {
    const v = t.scalar(n, 'AssociatePublicIpAddress');
    return v === true || v === 'true';
  });
}

function mapsPublicIp(t: TemplateIndex, subnetId: string): boolean {
  if (t.typeOf(subnetId) !== 'AWS::EC2::Subnet') return false;
  const v = t.scalar(t.props(subnetId), 'MapPublicIpOnLaunch');
  return v === true || v === 'true';
}
