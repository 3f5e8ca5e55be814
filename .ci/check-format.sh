#!/usr/bin/env bash
# Fails when a C++ file changed since the whole-tree format commit (or since BASE) is not clang-formatted.
#   check-format.sh [BASE]   BASE defaults to the commit listed in .git-blame-ignore-revs
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-$(grep -Eo '^[0-9a-f]{40}' .git-blame-ignore-revs | tail -n 1)}
if git cat-file -e "$base^{commit}" 2> /dev/null; then
    files=$(git diff --name-only --diff-filter=ACMR "$base" -- '*.cpp' '*.h')
    files+=$'\n'$(git ls-files --others --exclude-standard -- '*.cpp' '*.h')
else
    echo "check-format: $base is not in this clone's history; checking every file"
    files=$(git ls-files -- '*.cpp' '*.h')
fi
bad=()
while IFS= read -r f; do
    [ -n "$f" ] && [ -f "$f" ] || continue
    clang-format --dry-run --Werror "$f" > /dev/null 2>&1 || bad+=("$f")
done <<< "$files"
if [ ${#bad[@]} -gt 0 ]; then
    echo "check-format: not formatted with .clang-format (run clang-format -i on them):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
fi
echo "check-format: $(grep -c . <<< "$files") changed C++ files are formatted"
