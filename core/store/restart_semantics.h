// Restart semantics for stored series: a run resumed from a checkpoint logs some steps again; keep the
// newest.
#pragma once

#include "core/model/read_report.h"
#include "core/store/workspace.h"

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// TensorBoard's purge of orphaned data, per series: walking the points in logged order, a point whose step
// is smaller than the step of the point before it marks a restart at that step, and every EARLIER point at
// that step or later is dropped. So point i survives iff no later restart point j has step_j <= step_i.
// Returns which points survive; the surviving steps never decrease.
std::vector<bool> restartKeepMask(std::span<const std::int64_t> steps);

struct RestartPassResult {
    std::int64_t seriesRewritten = 0;
    std::int64_t pointsDropped = 0;
    ReadReport report; // one Info issue per rewritten series
};

// Applies the rule to every series of the named runs, points taken in stored (import) order, rewriting
// only the chunks that lose points, all in one transaction. Reads one chunk at a time, so memory stays
// bounded whatever the series length. Throws WorkspaceError on a store failure or a read-only workspace.
RestartPassResult applyRestartSemantics(Workspace& workspace, const std::set<std::string>& runs);

} // namespace runlens
