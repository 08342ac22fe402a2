import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

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

/** Stands for a token in the literal text of a reference (never part of a host or Region name). */
const TOKEN_MARK = '¤';

/** The Region of a private ECR registry named in the literal parts of an image reference. */
export function ecrRegion(imageName: string): string | undefined {
  const literal = imageName.replace(/\$\{Token\[[^\]]*\]\}/g, TOKEN_MARK);
  // the URL suffix may be a token (`${Aws.URL_SUFFIX}`) in an ECR repository's URI
  const m = /\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com|¤)|\.dkr-ecr\.([a-z0-9-]+)\.on\.aws/.exec(literal);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Throws when a network without internet egress (`Egress.none()`) could not pull `image`:
 * its VPC endpoints serve only the account's private ECR in the stack's Region, not ECR
 * Public, Docker Hub or any other registry (interface endpoints do not exist for ECR Public),
 * nor a private ECR registry of another Region.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
export function checkPullableWithoutInternet(scope: Construct, image: ecs.ContainerImage, imageName: string, isDefault: boolean): void {
  const region = ecrRegion(imageName);
  if (region !== undefined) {
    const stackRegion = Stack.of(scope).region;
    if (!Token.isUnresolved(stackRegion) && region !== stackRegion) {
      throw new Error(
        `\`image\` '${imageName}' is in the private ECR registry of ${region}, but the network's egress is Egress.none() and its ECR endpoints reach only ${stackRegion}, ` +
        `the stack's Region: the tasks could not pull it. Replicate the repository to ${stackRegion} (ECR cross-Region replication) and use its ${stackRegion} URI, ` +
        'or pick an egress with NAT');
    }
    if (Token.isUnresolved(stackRegion)) {
      Annotations.of(scope).addWarningV2('@portcullis/cluster:imageRegion',
        `\`image\` '${imageName}' is in the private ECR registry of ${region}, and the network's egress is Egress.none(): its ECR endpoints reach only the Region the stack deploys to, ` +
        `so this environment-agnostic stack can pull it only when deployed in ${region}. Give the stack \`env.region\` so this is checked at synth, or replicate the repository.`);
    }
  }
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
