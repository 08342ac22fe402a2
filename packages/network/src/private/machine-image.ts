import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** What can be told about a machine image without resolving it. */
export interface ImageFacts {
  /** The image's OS family, when the image says. */
  readonly os?: 'linux' | 'windows';
  /** The image's CPU architecture, when its class or SSM parameter name says. */
  readonly arch?: 'arm64' | 'x86_64';
  /** How the image was recognised, for messages. */
  readonly source: string;
}

/**
 * Reads the OS and CPU architecture of an `ec2.IMachineImage` from what it was made of, never
 * by calling `getImage()` (which adds parameters or mappings to the stack, and clashes when
 * the instance calls it again):
 * - Windows images (`MachineImage.latestWindows`, `genericWindows`) are Windows;
 * - Amazon Linux images (`latestAmazonLinux2023({ cpuType })` and friends) carry their
 *   `cpuType`;
 * - images read from an SSM parameter (`fromSsmParameter`, `resolveSsmParameterAtLaunch`, the
 *   ECS-optimized images) carry the architecture in the parameter name (`.../arm64/...`,
 *   `...-arm64`, `...-x86_64`), as AWS's public parameters do.
 * Anything else (`genericLinux` AMI ids, lookups) is unknown and not checked.
 */
export function imageFacts(image: ec2.IMachineImage): ImageFacts {
  const fields = image as unknown as { props?: { cpuType?: string; parameterName?: unknown }; parameterName?: unknown; amiParameterName?: unknown; os?: unknown; windowsVersion?: unknown };
  const windows = image instanceof ec2.WindowsImage || image instanceof ec2.GenericWindowsImage
    || fields.os === ec2.OperatingSystemType.WINDOWS || (fields.amiParameterName !== undefined && fields.windowsVersion !== undefined);
  const amazonLinux = image instanceof ec2.AmazonLinuxImage || image instanceof ec2.AmazonLinuxImageSsmParameterBase;
  const linux = amazonLinux || image instanceof ec2.GenericLinuxImage || (fields.amiParameterName !== undefined && fields.windowsVersion === undefined);
  let arch: ImageFacts['arch'];
  let source = image.constructor?.name ?? 'image';
  const parameterName = [fields.parameterName, fields.amiParameterName, fields.props?.parameterName]
    .find((n): n is string => typeof n === 'string' && !n.includes('${Token'));
  if (parameterName !== undefined) {
    source = `SSM parameter '${parameterName}'`;
    if (/(^|[/_-])(arm64|aarch64)($|[/_-])/.test(parameterName)) arch = 'arm64';
    else if (/(^|[/_-])(x86_64|amd64)($|[/_-])/.test(parameterName)) arch = 'x86_64';
  }
  const cpuType = fields.props?.cpuType;
  if (arch === undefined && cpuType === ec2.AmazonLinuxCpuType.ARM_64) arch = 'arm64';
  else if (arch === undefined && cpuType === ec2.AmazonLinuxCpuType.X86_64) arch = 'x86_64';
  else if (arch === undefined && image instanceof ec2.AmazonLinuxImage) arch = 'x86_64'; // its default cpuType
  return { os: windows ? 'windows' : linux ? 'linux' : undefined, arch, source };
}
