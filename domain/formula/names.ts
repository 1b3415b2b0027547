/** Lists of declared names for "unknown name" messages. */

/** Maximum number of names listed in one message. */
const MAX_LISTED_NAMES = 15;

/**
 * Returns the declared names as a sorted, comma-separated list. Of more than 15 names it lists the
 * 15 closest in spelling to `unknown` (Levenshtein distance, ignoring case) and the count left out.
 */
export function describeNameChoices(unknown: string, names: readonly string[]): string {
  if (names.length <= MAX_LISTED_NAMES) {
    return [...names].sort().join(', ');
  }
  const target = unknown.toLowerCase();
  const closest = names
    .map((name) => ({ name, distance: editDistance(target, name.toLowerCase()) }))
    .sort((left, right) => left.distance - right.distance || compareText(left.name, right.name))
    .slice(0, MAX_LISTED_NAMES)
    .map((entry) => entry.name)
    .sort();
  return `${closest.join(', ')} and ${names.length - closest.length} more`;
}

function compareText(left: string, right: string): number {
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}

/** Returns the Levenshtein distance: the fewest insertions, deletions and substitutions that turn `left` into `right`. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
