// A small streaming JSON writer for the command line's --json output (valid JSON, NaN/Inf as null).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// Escapes a string for a JSON string literal (without the quotes). Invalid UTF-8 bytes become U+FFFD so the
// output stays valid JSON whatever bytes a log held.
std::string jsonEscape(std::string_view text);

// Shortest text that reads back as the same double (plain decimals between 1e-5 and 1e15); "null" for NaN
// and infinities, which JSON does not have.
std::string jsonNumber(double value);

// Writes one JSON document to a stream. Calls must nest properly (beginObject/endObject, key before each
// value inside an object); commas and indentation are handled here.
class JsonWriter {
  public:
    explicit JsonWriter(std::ostream& out, bool pretty = true);

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(std::size_t number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& null();

    // key(name).value(v) in one call.
    template <typename T> JsonWriter& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }

    // Ends the document with a newline; the writer must be back at the top level.
    void finish();

  private:
    struct Level {
        bool isObject = false;
        bool empty = true;
    };
    void beforeValue();
    void newline();
    void open(char bracket, bool isObject);
    void close(char bracket);

    std::ostream& m_out;
    bool m_pretty = true;
    bool m_afterKey = false;
    std::vector<Level> m_levels;
};

} // namespace runlens
