import semver from 'semver';

/**
 * Whether `version` is inside the npm range `range`, by the `semver` package (npm's own rules: `^`, `~`,
 * `x` ranges, hyphen ranges, `||`, pre-releases only inside a range that names one). Returns undefined when
 * either cannot be read (a git URL, a tag, a workspace link): the caller reports that rather than guessing.
 */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  const clean = semver.valid(version.trim());
  if (clean === null || semver.validRange(range) === null) return undefined;
  return semver.satisfies(clean, range);
}
