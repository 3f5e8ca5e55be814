// Parses metric names word by word; no regular expressions, as the run table asks this of every tag.
#include "core/model/tag_names.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace runlens {
namespace {

bool isSeparator(char c) {
    return c == '/' || c == '_' || c == '.' || c == '-';
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

Split splitWord(std::string_view word) {
    const std::string w = lower(word);
    if (w == "train" || w == "training") return Split::Train;
    if (w == "val" || w == "valid" || w == "validation" || w == "eval" || w == "evaluation")
        return Split::Validation;
    if (w == "test") return Split::Test;
    return Split::Unmarked;
}

// The first word (up to a separator) and the last word (after the last separator).
std::string_view firstWord(std::string_view tag) {
    const auto end = std::find_if(tag.begin(), tag.end(), isSeparator);
    return tag.substr(0, static_cast<std::size_t>(end - tag.begin()));
}

std::string_view lastWord(std::string_view tag) {
    const auto it = std::find_if(tag.rbegin(), tag.rend(), isSeparator);
    return tag.substr(tag.size() - static_cast<std::size_t>(it - tag.rbegin()));
}

std::vector<std::string> words(std::string_view tag) {
    std::vector<std::string> out;
    std::string current;
    for (const char c : tag) {
        if (isSeparator(c) || c == ' ') {
            if (!current.empty()) out.push_back(lower(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) out.push_back(lower(current));
    return out;
}

} // namespace

Split splitOf(std::string_view tag) {
    const std::string_view first = firstWord(tag);
    if (first.size() < tag.size()) {
        if (const Split s = splitWord(first); s != Split::Unmarked) return s;
        if (const Split s = splitWord(lastWord(tag)); s != Split::Unmarked) return s;
    }
    return Split::Unmarked;
}

std::string stripSplit(std::string_view tag) {
    const std::string_view first = firstWord(tag);
    if (first.size() >= tag.size()) return std::string(tag);
    if (splitWord(first) != Split::Unmarked) return std::string(tag.substr(first.size() + 1));
    const std::string_view last = lastWord(tag);
    if (splitWord(last) != Split::Unmarked) return std::string(tag.substr(0, tag.size() - last.size() - 1));
    return std::string(tag);
}

std::string foldWorkerTag(std::string_view tag, int* worker) {
    if (worker) *worker = -1;
    constexpr std::string_view marker = "/worker_";
    const std::size_t at = tag.rfind(marker);
    if (at == std::string_view::npos || at == 0) return std::string(tag);
    const std::string_view digits = tag.substr(at + marker.size());
    int number = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || number < 0)
        return std::string(tag);
    if (worker) *worker = number;
    return std::string(tag.substr(0, at));
}

bool isWorkerParamKey(std::string_view key) {
    constexpr std::string_view prefix = "worker_";
    if (!key.starts_with(prefix) || key.size() == prefix.size()) return false;
    return std::all_of(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<bool> lowerIsBetter(std::string_view tag) {
    static constexpr std::array<std::string_view, 13> lowerWords{"loss", "error", "err",  "perplexity", "ppl",
                                                                 "nll",  "mse",   "mae",  "rmse",       "wer",
                                                                 "cer",  "ece",   "brier"};
    static constexpr std::array<std::string_view, 13> higherWords{
        "accuracy", "acc",   "auc", "f1",  "precision", "recall", "score",
        "bleu",     "rouge", "map", "iou", "dice",      "r2"};
    for (const std::string& word : words(tag)) {
        // "val_loss" -> {"val", "loss"}; "logloss" and "train_accuracy_top1" still count by containment.
        for (const std::string_view w : lowerWords)
            if (word == w || (w.size() >= 4 && word.find(w) != std::string::npos)) return true;
        for (const std::string_view w : higherWords)
            if (word == w || (w.size() >= 5 && word.find(w) != std::string::npos)) return false;
    }
    return std::nullopt;
}

bool isSystemMetric(std::string_view tag) {
    static constexpr std::array<std::string_view, 16> systemWords{
        "system",      "sys",  "gpu",   "cpu",         "memory", "mem",  "ram",     "vram",
        "utilization", "util", "power", "temperature", "temp",   "disk", "network", "net"};
    for (std::string word : words(tag)) {
        while (!word.empty() && std::isdigit(static_cast<unsigned char>(word.back())))
            word.pop_back(); // "gpu0" -> "gpu"
        if (std::find(systemWords.begin(), systemWords.end(), word) != systemWords.end()) return true;
    }
    return false;
}

} // namespace runlens
