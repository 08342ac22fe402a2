import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * A registry host served by this account's private ECR (and so by the `ecr.api` and
 * `ecr.dkr` interface endpoints): `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`,
 * or the dual-stack `<account>.dkr-ecr.<region>.on.aws`. Images cached by an ECR
 * pull-through cache rule live there too.
 */
const PRIVATE_ECR_HOST = /^\d{12}\.(dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|dkr-ecr\.[a-z0-9-]+\.on\.aws)$/;

/** The registry host of an image reference (`nginx` and `library/nginx` are Docker Hub's). */
export function registryHost(imageName: string): string {
  const first = imageName.split('/')[0];
  const hasHost = imageName.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : 'docker.io';
}

/**
 * Throws when a network without internet egress (`Egress.none()`) could not pull `image`:
 * its VPC endpoints serve only the account's private ECR, not ECR Public, Docker Hub or
 * any other registry (interface endpoints do not exist for ECR Public).
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
export function checkPullableWithoutInternet(image: ecs.ContainerImage, imageName: string, isDefault: boolean): void {
  // Images from an ECR repository or built from an asset are in the account's private ECR.
  if (image instanceof ecs.EcrImage || image instanceof ecs.AssetImage || image instanceof ecs.TagParameterContainerImage) return;
  let literal = imageName;
  if (Token.isUnresolved(imageName)) {
    // e.g. `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.amazonaws.com/app`: judge by the literal parts.
    const fragments = imageName.replace(/\$\{Token\[[^\]]*\]\}/g, '');
    if (/\.dkr\.ecr(-fips)?\.|\.dkr-ecr\./.test(fragments)) return;
    literal = fragments;
  }
  if (PRIVATE_ECR_HOST.test(registryHost(literal))) return;
  const what = isDefault ? `the default \`image\` '${imageName}' (ECR Public)` : `\`image\` '${imageName}' (registry ${registryHost(literal)})`;
  throw new Error(
    `${what} cannot be pulled: the network's egress is Egress.none(), and its VPC endpoints reach only this account's private ECR, ` +
    'not ECR Public, Docker Hub or other registries. Push the image to a private ECR repository (ecs.ContainerImage.fromEcrRepository or fromAsset), ' +
    'or create an ECR pull-through cache rule for its registry and use the cached name `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<image>` ' +
    '(the first pull needs ecr:BatchImportUpstreamImage and ecr:CreateRepository on the execution role); or pick an egress with NAT',
  );
}
