/**
 * The subset of npm version ranges that our package.json files use: `^1.2.3`, `~1.2.3`, `>=1.2.3`, `1.2.3`,
 * and alternatives joined by `||`. Enough to tell whether an installed version is a supported one without
 * pulling in a semver package the CLI does not declare.
 */

/** A parsed `major.minor.patch` (a pre-release tag sorts before the release, as in semver). */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '' };
}

export function compareVersions(a: Version, b: Version): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return d;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** The exclusive upper bound of a caret range: the next version that changes the left-most non-zero part. */
function caretCeiling(v: Version): Version {
  if (v.major > 0) return { major: v.major + 1, minor: 0, patch: 0, prerelease: '' };
  if (v.minor > 0) return { major: 0, minor: v.minor + 1, patch: 0, prerelease: '' };
  return { major: 0, minor: 0, patch: v.patch + 1, prerelease: '' };
}

function satisfiesOne(version: Version, range: string): boolean | undefined {
  const r = range.trim();
  if (r === '*' || r === '' || r === 'latest') return true;
  const op = /^(\^|~|>=|>|<=|<|=)?\s*(.+)$/.exec(r);
  if (!op) return undefined;
  const bound = parseVersion(op[2]!);
  if (!bound) return undefined;
  const cmp = compareVersions(version, bound);
  switch (op[1]) {
    case '^':
      return cmp >= 0 && compareVersions(version, caretCeiling(bound)) < 0;
    case '~':
      return cmp >= 0 && compareVersions(version, { major: bound.major, minor: bound.minor + 1, patch: 0, prerelease: '' }) < 0;
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '<':
      return cmp < 0;
    default:
      return cmp === 0;
  }
}

/**
 * Whether `version` is inside `range`. Returns undefined when either cannot be read (a git URL, a tag,
 * a workspace link): the caller reports that rather than guessing.
 */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  let unreadable = false;
  for (const alternative of range.split('||')) {
    // A space-separated list is an intersection (`>=1.2.0 <2.0.0`).
    const parts = alternative.trim().split(/\s+(?=[<>=^~])/).filter((p) => p !== '');
    const results = (parts.length === 0 ? ['*'] : parts).map((p) => satisfiesOne(v, p));
    if (results.some((r) => r === undefined)) {
      unreadable = true;
      continue;
    }
    if (results.every((r) => r === true)) return true;
  }
  return unreadable ? undefined : false;
}
