import { Token } from 'aws-cdk-lib';

/** Where the default nginx image writes at run time (cache, pid file) besides /tmp. */
const NGINX_PATHS = ['/var/cache/nginx', '/var/run'];
/**
 * Where the ECS Exec agent writes inside the container; without them it crashes under a
 * read-only root filesystem (https://github.com/aws/containers-roadmap/issues/1359).
 */
const EXEC_AGENT_PATHS = ['/managed-agents', '/var/lib/amazon/ssm', '/var/log/amazon/ssm'];
const MAX_PATHS = 20;
/**
 * Paths the container runtime owns: the kernel's pseudo-filesystems (/proc, /sys), the device
 * tree (/dev, with /dev/shm and /dev/pts), and the files Docker bind-mounts into every container
 * (/etc/hosts, /etc/hostname, /etc/resolv.conf). A volume mounted at or under one of them hides
 * or breaks what the runtime put there (the task fails to start, or the container loses its
 * DNS settings); they are never part of the read-only root filesystem anyway.
 * https://docs.docker.com/engine/storage/bind-mounts/ , https://docs.docker.com/engine/network/#dns-services
 */
const RUNTIME_TREES = ['/proc', '/sys', '/dev'];
const RUNTIME_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

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
    const canonical = '/' + path.split('/').filter((segment) => segment !== '' && segment !== '.').join('/');
    const tree = RUNTIME_TREES.find((t) => canonical === t || canonical.startsWith(`${t}/`));
    if (tree !== undefined || RUNTIME_FILES.includes(canonical)) {
      throw new Error(`\`writablePaths\` cannot contain '${path}': ${tree !== undefined ? `${tree} is provided by the container runtime (a kernel or device filesystem)` : `${canonical} is a file the container runtime writes into every container`}, ` +
        'not part of the root filesystem, and a scratch volume there would hide it. Remove it (it stays as the runtime makes it), and list the directories your app writes to, e.g. \'/tmp\'');
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
