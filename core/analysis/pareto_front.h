// Cost against quality: the non-dominated runs, who dominates whom, and the cheapest run within X of the
// best.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct ParetoPoint {
    std::string name;
    double quality = std::numeric_limits<double>::quiet_NaN();
    double qualityLow = std::numeric_limits<double>::quiet_NaN(); // interval, NaN when none
    double qualityHigh = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> costs; // one value per cost axis
};

struct ParetoAxes {
    std::string qualityName = "quality";
    bool qualityHigherIsBetter = true;
    std::vector<std::string> costNames;   // one per cost axis
    std::vector<bool> costHigherIsBetter; // one per cost axis (true for throughput); missing entries: lower
};

// a dominates b when a is at least as good on quality and every cost axis and strictly better on one. Points
// with a non-finite quality or cost take no part.
bool dominates(const ParetoPoint& a, const ParetoPoint& b, const ParetoAxes& axes);

struct ParetoFront {
    std::vector<std::size_t> front;    // indices of the non-dominated points, best first cost first
    std::vector<bool> onFront;         // per point
    std::vector<std::size_t> excluded; // points with a non-finite quality or cost
};

// The non-dominated set: an O(n log n) sweep for one cost axis, pairwise comparison for several. Exact ties
// (equal on every axis) are all on the front.
ParetoFront paretoFront(std::span<const ParetoPoint> points, const ParetoAxes& axes);

// For each point, the points that dominate it (empty for the front), in index order. O(n^2 d).
std::vector<std::vector<std::size_t>> dominatedBy(std::span<const ParetoPoint> points,
                                                  const ParetoAxes& axes);

enum class ToleranceKind { Absolute, Relative };

struct CheapestWithin {
    bool found = false;
    std::size_t best = 0;   // the point with the best quality (ties: the cheapest of them)
    std::size_t chosen = 0; // the cheapest on the cost axis among points within the tolerance of the best
    double qualityGap = 0;  // how much worse the chosen point is (>= 0, in quality units)
    double costBest = 0, costChosen = 0;
    double costFactor =
        1; // costBest / costChosen for lower-is-better costs, the inverse for higher-is-better
    bool intervalsOverlap = false; // the chosen and best quality intervals overlap (when both are given)
    std::string sentence;
};

// "Cheapest model within X of the best": tolerance absolute (quality within X of the best) or relative
// (within X times the best's quality, e.g. 0.01 = 1%), cheapest on cost axis `costAxis`; ties on cost go to
// the better quality.
CheapestWithin cheapestWithin(std::span<const ParetoPoint> points, const ParetoAxes& axes, double tolerance,
                              ToleranceKind kind = ToleranceKind::Absolute, std::size_t costAxis = 0);

} // namespace runlens
