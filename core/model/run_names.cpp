// distinctNameTails: the shortest unique tail of each run name.
#include "core/model/run_names.h"

#include <string_view>
#include <unordered_map>

namespace runlens {

namespace {

// Every tail of a name that starts after one of its '/' (the whole name is not one of them).
template <typename Visit> void forEachTail(std::string_view name, Visit visit) {
    for (std::size_t slash = name.find('/'); slash != std::string_view::npos;
         slash = name.find('/', slash + 1))
        if (slash + 1 < name.size()) visit(name.substr(slash + 1));
}

} // namespace

std::vector<std::string> distinctNameTails(std::span<const std::string> names) {
    // How many names have each tail; the whole names count too, so a tail equal to another run's whole
    // name ("b" beside "a/b") is not unique.
    std::unordered_map<std::string_view, int> count;
    for (const std::string& name : names) {
        ++count[name];
        forEachTail(name, [&](std::string_view tail) { ++count[tail]; });
    }
    std::vector<std::string> out;
    out.reserve(names.size());
    for (const std::string& name : names) {
        std::string_view best = name;
        // Tails come longest first; the last unique one is the shortest.
        forEachTail(name, [&](std::string_view tail) {
            if (count[tail] == 1) best = tail;
        });
        out.emplace_back(best);
    }
    return out;
}

} // namespace runlens
