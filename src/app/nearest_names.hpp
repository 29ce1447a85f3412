// "Did you mean …?": the known names closest to a mistyped one, by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reqtrace::app {

// The inserts, deletes, substitutions and swaps of two neighbours that turn `a` into `b`
// (Damerau-Levenshtein, each letter edited once).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The names within a slip or two of `typed` (one edit for a word of up to 4 letters, else a
// third of its length), closest first, at most `most`. A name that starts with `typed`, or
// with a slip of it, is one edit further than that start.
std::vector<std::string> nearest_names(std::string_view typed,
                                       const std::vector<std::string>& names, std::size_t most = 3);

// " (did you mean hello-wsgi or hello-wgsi?)", or "" when nothing is close.
std::string did_you_mean(const std::vector<std::string>& nearest);

}  // namespace reqtrace::app
