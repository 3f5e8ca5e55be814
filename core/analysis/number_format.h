// Printing estimates with the digits their uncertainty supports: an interval decides the decimals, a p-value
// gets two significant digits.
#pragma once

#include <string>

namespace runlens {

// Decimals that give the half-width of [low, high] two significant digits (0 to 6; in percentage points when
// percent): half-width 0.23 -> 2 decimals, 0.0078 -> 4 decimals, 22.6 points -> 0 decimals.
int decimalsForInterval(double low, double high, bool percent);

// "80% [49%, 94%]" for 8 of 10 (Wilson), "80.00% [79.20%, 80.77%]" for 8,000 of 10,000; "n/a" for a
// non-finite value.
std::string formatEstimate(double value, double low, double high, bool percent);

// Two significant digits, never an exponent: 0.0312 -> "0.031", 0.5 -> "0.50", 1 -> "1.0"; below 1e-4
// "< 0.0001" (more digits there say nothing the test can back).
std::string formatPValue(double p);

} // namespace runlens
