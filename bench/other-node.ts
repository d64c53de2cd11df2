import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

export interface NodeRuntime {
  path: string;
  version: string;
}

/**
 * A Node binary of another major version than the one running the benchmark, to measure the same
 * API on both in one run: the first `node` on PATH that is not this one (npm scripts put the
 * pinned Node first, so that is the machine's own Node), or null when there is none.
 */
export function otherNode(): NodeRuntime | null {
  const self = realpathSync(process.execPath);
  const major = (version: string) => version.replace(/^v/, '').split('.')[0];
  let onPath: string[];
  try {
    onPath = execFileSync('which', ['-a', 'node'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return null;
  }
  for (const candidate of onPath) {
    try {
      const path = realpathSync(candidate);
      if (path === self) continue;
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      if (major(version) !== major(process.version)) return { path, version };
    } catch {
      // not runnable: the next one
    }
  }
  return null;
}
