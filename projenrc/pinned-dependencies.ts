import { Component, DependencyType, Project } from 'projen';
import { NPM_PINS } from './versions';

/**
 * Gives every dependency the version pinned in `versions.ts` (one constant per tool),
 * before package.json is rendered.
 *
 * projen writes unversioned dependencies as `*` and later resolves them from the
 * subproject's own `node_modules`; in a hoisted npm workspace that folder is empty, so
 * projen silently drops them. Pinning them here makes every generated package.json
 * complete and identical on every machine. An unversioned dependency with no pin fails
 * the synth with a message that says where to add it.
 */
export class PinnedDependencies extends Component {
  /** Dependencies to remove from the project (projen defaults this repo does not use). */
  private readonly unwanted: string[];

  constructor(project: Project, options: { readonly remove?: string[] } = {}) {
    super(project);
    this.unwanted = options.remove ?? [];
  }

  public preSynthesize(): void {
    for (const name of this.unwanted) {
      for (const dep of this.project.deps.all.filter((d) => d.name === name)) {
        this.project.deps.removeDependency(dep.name, dep.type);
      }
    }
    for (const dep of this.project.deps.all) {
      if (dep.type === DependencyType.BUNDLED || dep.type === DependencyType.OVERRIDE || dep.type === DependencyType.PEER) {
        continue; // peer ranges are written by the factories on purpose
      }
      let range = NPM_PINS[dep.name];
      if (!range) {
        if (dep.version && dep.version !== '*') continue; // versioned by projen or the factory
        throw new Error(
          `${this.project.name}: dependency "${dep.name}" (${dep.type}) has no version and no pin: ` +
          'add it to NPM_PINS in projenrc/versions.ts',
        );
      }
      // A peer's dev copy is the exact lowest version of the peer range.
      if (dep.type === DependencyType.BUILD && this.project.deps.tryGetDependency(dep.name, DependencyType.PEER)) {
        range = range.replace(/^[\^~]/, '');
      }
      if (dep.version !== range) this.project.deps.addDependency(`${dep.name}@${range}`, dep.type);
    }
  }
}
