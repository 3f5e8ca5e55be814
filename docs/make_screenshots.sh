#!/usr/bin/env bash
# Regenerates the README screenshots headlessly from an existing build (builds nothing).
# Usage: docs/make_screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-build}"
bin="$build/bin/runlens"
if [[ ! -x "$bin" ]]; then
  echo "make_screenshots.sh: $bin not found; build first (make build)" >&2
  exit 1
fi

# A throwaway settings and data folder, so the picture always shows the bundled demo experiment.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$here/images"
shoot() { # FILE [TAB]
  XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" \
    "$bin" --screenshot "$here/images/$1" ${2:+--tab "$2"}
  echo "wrote $here/images/$1"
}
shoot main_window.png
for tab in Calibration Trade-offs Slices "Learning curve" Sweep Compare; do
  file="tab_$(echo "$tab" | tr 'A-Z -' 'a-z__').png"
  shoot "$file" "$tab"
done

# The Curves tab grouped by learning rate (mean ± std bands), train and validation on one card: written into
# the throwaway settings, so it comes last.
mkdir -p "$scratch/config/Runlens"
cat >> "$scratch/config/Runlens/Runlens.conf" <<'CONF'

[curves]
groupBy=lr
band=std
center=mean
combineTags=true
CONF
shoot curves_grouped.png
