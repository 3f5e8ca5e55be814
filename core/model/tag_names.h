// What a metric's name says: the dataset split it was measured on, distributed-worker suffixes, direction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace runlens {

enum class Split { Unmarked, Train, Validation, Test };

// The split a tag names by a prefix or suffix word separated by '/', '_', '.' or '-' (any case):
// train/training, val/valid/validation/eval/evaluation, test. "train/loss" -> Train, "val_loss" ->
// Validation, "Loss/test" -> Test, "loss" -> Unmarked.
Split splitOf(std::string_view tag);

// The tag without its split word: "train/loss", "val_loss", "Loss/test" -> "loss", "loss", "Loss"; a tag
// without one is returned as is.
std::string stripSplit(std::string_view tag);

// "<tag>/worker_<N>" -> "<tag>" with worker = N; other tags unchanged with worker = -1.
std::string foldWorkerTag(std::string_view tag, int* worker = nullptr);

// "worker_<N>": the param a distributed run gets per worker, naming the worker's original folder. It is
// bookkeeping, not configuration: two jobs of one configuration differ in it.
bool isWorkerParamKey(std::string_view key);

// true when lower values are better (loss, error, err, perplexity, ppl, nll, mse, mae, rmse, wer, cer, ece,
// brier), false when higher are (accuracy, auc, f1, precision, recall, score, bleu, rouge, map, iou, dice,
// r2), nullopt when the name does not tell (learning rate, epoch, gpu memory ...). Words are matched as name
// parts, any case.
std::optional<bool> lowerIsBetter(std::string_view tag);

// Hardware and process metrics (GPU, CPU, memory, power, temperature, disk, network; "system/..." or
// "sys/..."), matched as name parts with an optional trailing number ("gpu0_memory"), any case.
bool isSystemMetric(std::string_view tag);

} // namespace runlens
