// JSON Lines metrics reader: one object per line, long form or wide form with nested keys flattened.
#pragma once

#include "core/io/reader.h"

namespace runlens {

class JsonlReader : public Reader {
  public:
    std::string_view name() const override { return "jsonl"; }
    std::string_view description() const override { return "JSON Lines metrics (one object per line)"; }
    int confidence(const FileProbe& probe) const override;
    bool appendable() const override { return true; }
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
