// Test-side writer (and minimal decoder) of TensorBoard event files, written from the TFRecord and
// protobuf specifications and independent of core/io: its own bitwise CRC32C and its own encoders.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tfw {

// Bitwise CRC32C (reflected polynomial 0x82F63B78), deliberately not table driven.
inline std::uint32_t crc32cBitwise(std::string_view data) {
    std::uint32_t crc = 0xffffffffu;
    for (const char ch : data) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline std::uint32_t masked(std::uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

inline void putLe(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

inline void putVarint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

inline void putKey(std::string& out, int field, int wireType) {
    putVarint(out, (std::uint64_t(field) << 3) | wireType);
}

inline void putBytes(std::string& out, int field, std::string_view bytes) {
    putKey(out, field, 2);
    putVarint(out, bytes.size());
    out.append(bytes);
}

inline void putDouble(std::string& out, int field, double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    putKey(out, field, 1);
    putLe(out, bits, 8);
}

inline void putFloat(std::string& out, int field, float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    putKey(out, field, 5);
    putLe(out, bits, 4);
}

inline void putVarintField(std::string& out, int field, std::uint64_t v) {
    putKey(out, field, 0);
    putVarint(out, v);
}

// One TFRecord: u64 length, masked CRC of the length bytes, data, masked CRC of the data.
inline std::string frame(std::string_view data) {
    std::string len;
    putLe(len, data.size(), 8);
    std::string out = len;
    putLe(out, masked(crc32cBitwise(len)), 4);
    out.append(data);
    putLe(out, masked(crc32cBitwise(data)), 4);
    return out;
}

// SummaryMetadata{plugin_data{plugin_name, content}}.
inline std::string metadata(std::string_view plugin, std::string_view content = {}) {
    std::string pd;
    putBytes(pd, 1, plugin);
    if (!content.empty()) putBytes(pd, 2, content);
    std::string md;
    putBytes(md, 1, pd);
    return md;
}

// Summary.Value builders.
inline std::string simpleValue(std::string_view tag, float v) {
    std::string out;
    putBytes(out, 1, tag);
    putFloat(out, 2, v);
    return out;
}

enum class TensorKind { FloatPacked, FloatUnpacked, DoublePacked, FloatContent, DoubleContent, Int64 };

inline std::string tensorValue(std::string_view tag, double v, TensorKind kind, bool withMetadata = true) {
    std::string t;
    std::string payload;
    switch (kind) {
    case TensorKind::FloatPacked: {
        putVarintField(t, 1, 1); // DT_FLOAT
        putBytes(t, 2, {});      // empty TensorShapeProto: rank 0
        const float f = static_cast<float>(v);
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        putLe(payload, bits, 4);
        putBytes(t, 5, payload);
        break;
    }
    case TensorKind::FloatUnpacked:
        putVarintField(t, 1, 1);
        putFloat(t, 5, static_cast<float>(v));
        break;
    case TensorKind::DoublePacked: {
        putVarintField(t, 1, 2); // DT_DOUBLE
        putBytes(t, 2, {});
        std::uint64_t bits;
        std::memcpy(&bits, &v, 8);
        putLe(payload, bits, 8);
        putBytes(t, 6, payload);
        break;
    }
    case TensorKind::FloatContent: {
        putVarintField(t, 1, 1);
        const float f = static_cast<float>(v);
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        putLe(payload, bits, 4);
        putBytes(t, 4, payload);
        break;
    }
    case TensorKind::DoubleContent: {
        putVarintField(t, 1, 2);
        std::uint64_t bits;
        std::memcpy(&bits, &v, 8);
        putLe(payload, bits, 8);
        putBytes(t, 4, payload);
        break;
    }
    case TensorKind::Int64:
        putVarintField(t, 1, 9); // DT_INT64
        putVarintField(t, 10, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
        break;
    }
    std::string out;
    putBytes(out, 1, tag);
    putBytes(out, 8, t);
    if (withMetadata) putBytes(out, 9, metadata("scalars"));
    return out;
}

// An Image summary value (field 4 of Summary.Value), which readers of scalars must skip.
inline std::string imageValue(std::string_view tag) {
    std::string img;
    putVarintField(img, 1, 2);
    putVarintField(img, 2, 2);
    putVarintField(img, 3, 1);
    putBytes(img, 4, std::string("\x89PNG fake", 9));
    std::string out;
    putBytes(out, 1, tag);
    putBytes(out, 4, img);
    return out;
}

// hparams plugin value: HParamsPluginData{session_start_info{hparams map<string, Value>}}.
struct HParam {
    std::string key;
    enum { Number, String, Bool } type;
    double number = 0;
    std::string text;
    bool flag = false;
};

inline std::string hparamsValue(const std::vector<HParam>& hparams) {
    std::string start;
    for (const auto& h : hparams) {
        std::string value;
        if (h.type == HParam::Number) putDouble(value, 2, h.number);
        if (h.type == HParam::String) putBytes(value, 3, h.text);
        if (h.type == HParam::Bool) putVarintField(value, 4, h.flag ? 1 : 0);
        std::string entry;
        putBytes(entry, 1, h.key);
        putBytes(entry, 2, value);
        putBytes(start, 1, entry);
    }
    std::string data;
    putVarintField(data, 1, 0); // version
    putBytes(data, 3, start);
    std::string out;
    putBytes(out, 1, "_hparams_/session_start_info");
    putBytes(out, 9, metadata("hparams", data));
    return out;
}

// Event{wall_time, step, summary{values...}} framed as one record.
inline std::string eventRecord(double wallTime, std::int64_t step, const std::vector<std::string>& values) {
    std::string summary;
    for (const auto& v : values)
        putBytes(summary, 1, v);
    std::string event;
    putDouble(event, 1, wallTime);
    if (step != 0) putVarintField(event, 2, static_cast<std::uint64_t>(step));
    putBytes(event, 5, summary);
    return frame(event);
}

inline std::string fileVersionRecord(double wallTime) {
    std::string event;
    putDouble(event, 1, wallTime);
    putBytes(event, 3, "brain.Event:2");
    return frame(event);
}

// ---- A minimal independent decoder, used to count what real event files hold. ----

struct Cursor {
    std::string_view s;
    std::size_t i = 0;
    bool bad = false;

    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (i >= s.size()) {
                bad = true;
                return 0;
            }
            const auto b = static_cast<unsigned char>(s[i++]);
            v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
        }
        bad = true;
        return 0;
    }
    // Reads one field: returns false at end or on error. Length-delimited payloads land in `bytes`,
    // fixed and varint payloads in `num`.
    bool field(int& number, int& type, std::uint64_t& num, std::string_view& bytes) {
        if (bad || i >= s.size()) return false;
        const std::uint64_t key = varint();
        number = static_cast<int>(key >> 3);
        type = static_cast<int>(key & 7);
        if (type == 0)
            num = varint();
        else if (type == 1 || type == 5) {
            const std::size_t n = type == 1 ? 8 : 4;
            if (s.size() - i < n) {
                bad = true;
                return false;
            }
            num = 0;
            for (std::size_t k = 0; k < n; ++k)
                num |= std::uint64_t(static_cast<unsigned char>(s[i + k])) << (8 * k);
            i += n;
        } else if (type == 2) {
            const std::uint64_t n = varint();
            if (bad || n > s.size() - i) {
                bad = true;
                return false;
            }
            bytes = s.substr(i, n);
            i += n;
        } else {
            bad = true;
        }
        return !bad;
    }
};

struct DecodedFile {
    std::map<std::string, std::vector<double>> points; // tag -> values in file order
    std::map<std::string, std::string> hparams;        // hparam key -> tag of the value that held it
    int records = 0;
    int crcErrors = 0;
};

// Is the tensor a rank-0 float/double/int holding one number? Returns it.
inline std::optional<double> scalarOfTensor(std::string_view t) {
    Cursor c{t};
    int num, type;
    std::uint64_t v = 0;
    std::string_view b;
    std::uint64_t dtype = 0;
    std::optional<double> out;
    std::string_view content;
    while (c.field(num, type, v, b)) {
        if (num == 1 && type == 0) dtype = v;
        if (num == 2 && type == 2) {
            Cursor sh{b};
            int n2, t2;
            std::uint64_t v2;
            std::string_view b2;
            while (sh.field(n2, t2, v2, b2))
                if (n2 == 2) return std::nullopt;
        }
        if (num == 4 && type == 2) content = b;
        if (num == 5 && !out) {
            std::uint32_t bits = 0;
            if (type == 5)
                bits = static_cast<std::uint32_t>(v);
            else if (type == 2 && b.size() >= 4)
                std::memcpy(&bits, b.data(), 4);
            else
                continue;
            float f;
            std::memcpy(&f, &bits, 4);
            out = f;
        }
        if (num == 6 && !out) {
            std::uint64_t bits = 0;
            if (type == 1)
                bits = v;
            else if (type == 2 && b.size() >= 8)
                std::memcpy(&bits, b.data(), 8);
            else
                continue;
            double d;
            std::memcpy(&d, &bits, 8);
            out = d;
        }
    }
    if (dtype != 1 && dtype != 2) return std::nullopt;
    if (out) return out;
    if (dtype == 1 && content.size() == 4) {
        float f;
        std::memcpy(&f, content.data(), 4);
        return f;
    }
    if (dtype == 2 && content.size() == 8) {
        double d;
        std::memcpy(&d, content.data(), 8);
        return d;
    }
    return std::nullopt;
}

// Payload of the first field `number` (length-delimited) of a message, or empty.
inline std::string_view subField(std::string_view msg, int number) {
    Cursor c{msg};
    int n, t;
    std::uint64_t v = 0;
    std::string_view b;
    while (c.field(n, t, v, b))
        if (n == number && t == 2) return b;
    return {};
}

// Keys of SummaryMetadata.plugin_data.content (HParamsPluginData).session_start_info.hparams.
inline std::vector<std::string> hparamKeys(std::string_view metadataBytes) {
    const std::string_view start = subField(subField(subField(metadataBytes, 1), 2), 3);
    std::vector<std::string> keys;
    Cursor c{start};
    int n, t;
    std::uint64_t v = 0;
    std::string_view b;
    while (c.field(n, t, v, b))
        if (n == 1 && t == 2) keys.emplace_back(subField(b, 1));
    return keys;
}

inline DecodedFile decodeFile(std::string_view file) {
    DecodedFile out;
    std::size_t pos = 0;
    while (file.size() - pos >= 12) {
        std::uint64_t len = 0;
        for (int k = 0; k < 8; ++k)
            len |= std::uint64_t(static_cast<unsigned char>(file[pos + k])) << (8 * k);
        if (len > file.size() - pos - 12 || file.size() - pos - 12 - len < 4) break;
        const std::string_view data = file.substr(pos + 12, len);
        std::uint32_t crc = 0;
        for (int k = 0; k < 4; ++k)
            crc |= std::uint32_t(static_cast<unsigned char>(file[pos + 12 + len + k])) << (8 * k);
        pos += 12 + len + 4;
        ++out.records;
        if (masked(crc32cBitwise(data)) != crc) {
            ++out.crcErrors;
            continue;
        }
        Cursor ev{data};
        int num, type;
        std::uint64_t v;
        std::string_view b;
        while (ev.field(num, type, v, b)) {
            if (num != 5 || type != 2) continue;
            Cursor sum{b};
            int sn, st;
            std::uint64_t sv = 0;
            std::string_view sb;
            while (sum.field(sn, st, sv, sb)) {
                if (sn != 1 || st != 2) continue;
                Cursor val{sb};
                int vn, vt;
                std::uint64_t vv = 0;
                std::string_view vb;
                std::string tag;
                std::optional<double> value;
                bool hparams = false;
                std::string_view metadataBytes;
                while (val.field(vn, vt, vv, vb)) {
                    if (vn == 1 && vt == 2) tag = std::string(vb);
                    if (vn == 2 && vt == 5) {
                        float f;
                        const auto bits = static_cast<std::uint32_t>(vv);
                        std::memcpy(&f, &bits, 4);
                        value = f;
                    }
                    if (vn == 8 && vt == 2 && !value) value = scalarOfTensor(vb);
                    if (vn == 9 && vt == 2 && vb.find("hparams") != std::string_view::npos) {
                        hparams = true;
                        metadataBytes = vb;
                    }
                }
                if (hparams) {
                    for (const auto& key : hparamKeys(metadataBytes))
                        out.hparams[key] = tag;
                } else if (value)
                    out.points[tag].push_back(*value);
            }
        }
    }
    return out;
}

} // namespace tfw
