// Short forms of run names that still tell the runs apart, for a narrow name column.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace runlens {

// For each name, its shortest tail after a '/' that no other name has as a tail ("size_sweep/gbm_n2000" ->
// "gbm_n2000" beside "size_sweep/mlp_n2000"), or the whole name when no shorter tail is unique or the
// name has no '/'. Eliding a path in the middle showed both of those as "size_sweep/…n2000"; the leading
// folders are what the runs share, so they go first.
std::vector<std::string> distinctNameTails(std::span<const std::string> names);

} // namespace runlens
