// Reader for the binary transaction log every W&B client since 0.10 writes (run-<id>.wandb), without W&B.
#pragma once

#include "core/io/reader.h"
#include "core/io/wandb_values.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace runlens {

// The file, as W&B's own reader and writer lay it out (wandb/sdk/internal/datastore.py; the Go client's
// core/pkg/leveldb): a 7-byte header (":W&B", magic 0xBEE1 as uint16 little-endian, version 0), then the
// LevelDB log format in 32 KiB blocks counted from file offset 0. A chunk is a 7-byte header (checksum uint32
// LE, length uint16 LE, type uint8: FULL 1, FIRST 2, MIDDLE 3, LAST 4) and its payload; a chunk never crosses
// a block, and fewer than 7 bytes left in a block are zero padding. The checksum is plain CRC-32 (zlib's,
// IEEE polynomial) over the type byte and the payload, not masked CRC32C as LevelDB and TFRecord use.
// A FULL chunk, or FIRST + MIDDLE* + LAST joined, is one protobuf wandb_internal.Record
// (wandb/proto/wandb_internal.proto), decoded here by hand:
//   history (2):  items (key 1 or nested_key 2, value_json 16) become series by _step (else HistoryStep.num),
//                 wall time _timestamp; keys starting with '_' and media objects are not series
//   summary (3):  updates / removals of the summary -> summary metrics (the last state), never points
//   config (5):   updates / removals -> params ("a.b" for nested values; "_wandb" left out)
//   stats (7):    system metrics "system/<key>" at their timestamp; the step is whole seconds since the run
//                 started (the run record's start_time)
//   run (17):     tags wandb.run_id / entity / project / name / group / job_type / sweep_id / host / tags /
//                 cli_version; provenance start time and git commit; its own config and summary
//   exit (18):    status FINISHED (exit code 0) or FAILED, tag wandb.exit_code, end time = start + runtime
// Everything else (console output, files, telemetry, artifacts, requests) is skipped.
// A bad checksum, a chunk that crosses its block or a type out of order drops that chunk and the record it
// belonged to, with a warning naming the byte offset, and reading goes on at the next block; a file that
// ends inside a chunk or a record (a run still writing) keeps every complete record before it.
struct WandbLogFacts {
    std::int64_t records = 0; // complete records decoded
    std::int64_t historyRows = 0;
    std::int64_t summaryRecords = 0; // summary records and run records holding a summary
    std::int64_t configRecords = 0;  // config records and run records holding a config
    bool headerValid = false;
    bool startTimeKnown = false; // the run record gave the start time
    std::optional<int> exitCode;
    std::string codeVersion; // git commit from the run record
};

// Decodes the log at file (positioned at offset 0) into run. The summary, config and system
// metrics go into state (the caller delivers it: a run folder may add to it); history points go to sink.
// label names the file in issues.
ReadReport decodeWandbLog(std::FILE* file, const std::string& label, std::string_view run, ImportSink& sink,
                          WandbRunState& state, WandbLogFacts& facts, const ReadContext& ctx);

// A .wandb file imported on its own (not inside a run folder): everything goes to ctx.runName.
class WandbBinaryReader : public Reader {
  public:
    static constexpr std::size_t kBlockBytes = 32768;
    static constexpr std::size_t kChunkHeaderBytes = 7;
    static constexpr std::size_t kMaxRecordBytes = 64u << 20; // larger records are skipped unread

    std::string_view name() const override { return "wandb"; }
    std::string_view description() const override { return "W&B transaction log (run-<id>.wandb)"; }
    int confidence(const FileProbe& probe) const override; // 100 for the ":W&B" header, else 0
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;

    // Reads path into run with the provenance, summary, params and system metrics; used by read() and by the
    // run-folder reader (which passes its own state so the folder's JSON files can complete it).
    static ReadReport readLog(const std::filesystem::path& path, std::string_view run, ImportSink& sink,
                              WandbRunState& state, WandbLogFacts& facts, const ReadContext& ctx);
};

// CRC-32 (IEEE 802.3 polynomial, reflected, as zlib's crc32), continuing from crc (0 for a fresh checksum).
std::uint32_t crc32Ieee(std::string_view data, std::uint32_t crc = 0);

} // namespace runlens
