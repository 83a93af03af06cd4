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

const PARTIAL = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/;

/** A bound with missing parts (`24`, `1.2`, `1.x`), completed with zeros; `parts` says how many were given. */
function parseBound(text: string): { version: Version; parts: number } | undefined {
  const full = parseVersion(text);
  if (full) return { version: full, parts: 3 };
  const m = PARTIAL.exec(text.trim());
  if (!m) return undefined;
  const given = [m[1], m[2], m[3]].filter((p) => p !== undefined && p !== 'x' && p !== '*');
  const [major = 0, minor = 0] = given.map(Number);
  return { version: { major, minor, patch: 0, prerelease: '' }, parts: given.length };
}

function satisfiesOne(version: Version, range: string): boolean | undefined {
  const r = range.trim();
  if (r === '*' || r === '' || r === 'latest' || r === 'x') return true;
  const op = /^(\^|~|>=|>|<=|<|=)?\s*(.+)$/.exec(r);
  if (!op) return undefined;
  const parsed = parseBound(op[2]!);
  if (!parsed) return undefined;
  const bound = parsed.version;
  const cmp = compareVersions(version, bound);
  if ((op[1] === undefined || op[1] === '=') && parsed.parts < 3) {
    // `1.2` means 1.2.x and `1` means 1.x.x.
    const ceiling = parsed.parts === 2 ? { major: bound.major, minor: bound.minor + 1, patch: 0, prerelease: '' } : { major: bound.major + 1, minor: 0, patch: 0, prerelease: '' };
    return cmp >= 0 && compareVersions(version, ceiling) < 0;
  }
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
