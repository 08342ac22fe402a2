import { Token } from 'aws-cdk-lib';

/** Where the default nginx image writes at run time (cache, pid file) besides /tmp. */
const NGINX_PATHS = ['/var/cache/nginx', '/var/run'];
/**
 * Where the ECS Exec agent writes inside the container; without them it crashes under a
 * read-only root filesystem (https://github.com/aws/containers-roadmap/issues/1359).
 */
const EXEC_AGENT_PATHS = ['/managed-agents', '/var/lib/amazon/ssm', '/var/log/amazon/ssm'];
const MAX_PATHS = 20;

/** Throws unless every path is absolute, not the root, unique and plain. */
export function validateWritablePaths(paths: string[]): void {
  if (paths.length > MAX_PATHS) {
    throw new Error(`\`writablePaths\` takes at most ${MAX_PATHS} paths, got ${paths.length}: mount a common parent directory instead`);
  }
  const seen = new Set<string>();
  for (const path of paths) {
    if (Token.isUnresolved(path)) continue;
    const normal = path.replace(/\/+$/, '');
    if (path.startsWith('/') && normal === '') {
      throw new Error('`writablePaths` cannot contain \'/\': that is the whole root filesystem; turn `readonlyRootFilesystem` off instead');
    }
    if (!/^\/[A-Za-z0-9._\-/]+$/.test(path) || path.split('/').includes('..')) {
      throw new Error(`\`writablePaths\` entries must be absolute paths of letters, digits, '.', '_', '-' and '/', got '${path}': e.g. '/tmp'`);
    }
    if (seen.has(normal)) throw new Error(`\`writablePaths\` lists '${normal}' twice: list each path once`);
    seen.add(normal);
  }
}

/** The container paths that get a writable scratch volume, in mount order, without duplicates. */
export function scratchPaths(options: {
  readonly readonlyRootFilesystem: boolean;
  readonly enableExecuteCommand: boolean;
  readonly writablePaths?: string[];
  readonly defaultImage: boolean;
}): string[] {
  const paths = options.writablePaths
    ?? (options.readonlyRootFilesystem ? ['/tmp', ...(options.defaultImage ? NGINX_PATHS : [])] : []);
  const all = [...paths, ...(options.readonlyRootFilesystem && options.enableExecuteCommand ? EXEC_AGENT_PATHS : [])];
  return [...new Set(all.map((p) => (Token.isUnresolved(p) ? p : p.replace(/\/+$/, ''))))];
}
