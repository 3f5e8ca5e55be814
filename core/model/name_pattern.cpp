// Compiles the supported regex syntax to Pike VM instructions and runs them over UTF-8 text in linear time.
#include "core/model/name_pattern.h"

#include <memory>

namespace runlens {

namespace {

constexpr int kUnbounded = -1;
constexpr int kMaxCount = 1000; // largest n or m in {n,m}

// A byte that is not part of valid UTF-8 becomes a character of its own above U+10FFFF.
char32_t decodeUtf8(std::string_view s, std::size_t pos, std::size_t& length) {
    const auto c = static_cast<unsigned char>(s[pos]);
    length = 1;
    if (c < 0x80) return c;
    std::size_t need = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        need = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        need = 2;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        need = 3;
        cp = c & 0x07;
    } else {
        return 0x110000 + c;
    }
    if (pos + need >= s.size()) return 0x110000 + c;
    for (std::size_t k = 1; k <= need; ++k) {
        const auto next = static_cast<unsigned char>(s[pos + k]);
        if ((next & 0xC0) != 0x80) return 0x110000 + c;
        cp = (cp << 6) | (next & 0x3F);
    }
    length = need + 1;
    return cp;
}

char32_t foldCase(char32_t c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

char32_t upperCase(char32_t c) {
    return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

bool isDigit(char32_t c) {
    return c >= '0' && c <= '9';
}

bool isWord(char32_t c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isSpace(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool escapeHolds(char escape, char32_t c) {
    switch (escape) {
    case 'd':
        return isDigit(c);
    case 'D':
        return !isDigit(c);
    case 'w':
        return isWord(c);
    case 'W':
        return !isWord(c);
    case 's':
        return isSpace(c);
    case 'S':
        return !isSpace(c);
    default:
        return false;
    }
}

bool inClass(const NamePattern::CharClass& cls, char32_t c, bool caseInsensitive) {
    bool hit = false;
    for (const auto& [lo, hi] : cls.ranges) {
        if ((c >= lo && c <= hi) || (caseInsensitive && ((foldCase(c) >= lo && foldCase(c) <= hi) ||
                                                         (upperCase(c) >= lo && upperCase(c) <= hi)))) {
            hit = true;
            break;
        }
    }
    for (const char e : cls.escapes)
        hit = hit || escapeHolds(e, c);
    return hit != cls.negated;
}

// The parsed pattern: a tree of nodes held in one vector, children by index.
struct Node {
    enum class Kind {
        Empty,
        Char,
        Any,
        Class,
        Begin,
        End,
        WordBoundary,
        NotWordBoundary,
        Concat,
        Alternate,
        Repeat
    };
    Kind kind = Kind::Empty;
    char32_t ch = 0;
    int cls = 0;
    std::vector<int> children;
    int min = 0;
    int max = 0; // kUnbounded for * and +
};

struct CompileError {
    std::string message;
};

} // namespace

// Recursive descent over the pattern (depth bounded by kMaxNesting), then code generation from the tree.
class NamePatternCompiler {
  public:
    NamePatternCompiler(std::string_view pattern, NamePattern& out) : m_text(pattern), m_out(out) {}

    void compile() {
        const int root = alternation(0);
        if (m_pos < m_text.size()) fail("unmatched ')'");
        emit(root);
        push({NamePattern::Op::Match});
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw CompileError{what + " at position " + std::to_string(m_pos + 1)};
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }

    int node(Node n) {
        m_nodes.push_back(std::move(n));
        return static_cast<int>(m_nodes.size()) - 1;
    }

    char32_t nextChar() {
        std::size_t length = 1;
        const char32_t c = decodeUtf8(m_text, m_pos, length);
        m_pos += length;
        return c;
    }

    int alternation(int depth) {
        if (depth > NamePattern::kMaxNesting)
            fail("groups nested deeper than " + std::to_string(NamePattern::kMaxNesting));
        Node alt{Node::Kind::Alternate};
        alt.children.push_back(concatenation(depth));
        while (!atEnd() && peek() == '|') {
            ++m_pos;
            alt.children.push_back(concatenation(depth));
        }
        if (alt.children.size() == 1) return alt.children.front();
        return node(std::move(alt));
    }

    int concatenation(int depth) {
        Node cat{Node::Kind::Concat};
        while (!atEnd() && peek() != '|' && peek() != ')')
            cat.children.push_back(repetition(depth));
        return node(std::move(cat));
    }

    int repetition(int depth) {
        int child = atom(depth);
        while (!atEnd()) {
            int min = 0, max = 0;
            const char c = peek();
            if (c == '*') {
                min = 0, max = kUnbounded;
                ++m_pos;
            } else if (c == '+') {
                min = 1, max = kUnbounded;
                ++m_pos;
            } else if (c == '?') {
                min = 0, max = 1;
                ++m_pos;
            } else if (c == '{' && counted(min, max)) {
            } else {
                break;
            }
            if (!atEnd() && peek() == '?') ++m_pos; // lazy: the same yes/no answer for a search
            const Node::Kind kind = m_nodes[static_cast<std::size_t>(child)].kind;
            if (kind == Node::Kind::Begin || kind == Node::Kind::End || kind == Node::Kind::WordBoundary ||
                kind == Node::Kind::NotWordBoundary)
                fail("nothing to repeat");
            Node rep{Node::Kind::Repeat};
            rep.children.push_back(child);
            rep.min = min;
            rep.max = max;
            child = node(std::move(rep));
        }
        return child;
    }

    // {n}, {n,} or {n,m}; false (and nothing consumed) when the brace is a literal, as in ECMAScript.
    bool counted(int& min, int& max) {
        std::size_t p = m_pos + 1;
        auto number = [&](int& out) {
            const std::size_t start = p;
            long value = 0;
            while (p < m_text.size() && isDigit(static_cast<unsigned char>(m_text[p]))) {
                value = std::min<long>(value * 10 + (m_text[p] - '0'), 1000000);
                ++p;
            }
            out = static_cast<int>(value);
            return p > start;
        };
        if (!number(min)) return false;
        max = min;
        if (p < m_text.size() && m_text[p] == ',') {
            ++p;
            if (!number(max)) max = kUnbounded;
        }
        if (p >= m_text.size() || m_text[p] != '}') return false;
        m_pos = p + 1;
        if (min > kMaxCount || max > kMaxCount) fail("a count over " + std::to_string(kMaxCount));
        if (max != kUnbounded && max < min) fail("{n,m} with m < n");
        return true;
    }

    int atom(int depth) {
        const char c = peek();
        switch (c) {
        case '(': {
            ++m_pos;
            if (!atEnd() && peek() == '?') {
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == ':') {
                    m_pos += 2;
                } else {
                    fail("unsupported: lookaround and named groups need a backtracking matcher");
                }
            }
            const int inner = alternation(depth + 1);
            if (atEnd() || peek() != ')') fail("missing ')'");
            ++m_pos;
            return inner;
        }
        case '[':
            return node(Node{Node::Kind::Class, 0, bracket()});
        case '.':
            ++m_pos;
            return node(Node{Node::Kind::Any});
        case '^':
            ++m_pos;
            return node(Node{Node::Kind::Begin});
        case '$':
            ++m_pos;
            return node(Node{Node::Kind::End});
        case '*':
        case '+':
        case '?':
            fail("nothing to repeat");
        case '\\':
            return escape();
        default:
            return literal(nextChar());
        }
    }

    int literal(char32_t c) {
        return node(Node{Node::Kind::Char, m_out.m_caseInsensitive ? foldCase(c) : c});
    }

    int escape() {
        ++m_pos;
        if (atEnd()) fail("pattern ends with '\\'");
        const char c = peek();
        if (c >= '1' && c <= '9') fail("unsupported: backreference \\" + std::string(1, c));
        ++m_pos;
        switch (c) {
        case 'd':
        case 'D':
        case 'w':
        case 'W':
        case 's':
        case 'S': {
            NamePattern::CharClass cls;
            cls.escapes.push_back(c);
            m_out.m_classes.push_back(std::move(cls));
            return node(Node{Node::Kind::Class, 0, static_cast<int>(m_out.m_classes.size()) - 1});
        }
        case 'b':
            return node(Node{Node::Kind::WordBoundary});
        case 'B':
            return node(Node{Node::Kind::NotWordBoundary});
        case 'n':
            return literal('\n');
        case 't':
            return literal('\t');
        case 'r':
            return literal('\r');
        case 'f':
            return literal('\f');
        case 'v':
            return literal('\v');
        case '0':
            return literal(0);
        default:
            if (isWord(static_cast<unsigned char>(c))) fail("unsupported escape \\" + std::string(1, c));
            --m_pos;
            return literal(nextChar()); // \. \\ \( \/ ...: the character itself
        }
    }

    char32_t classChar() {
        if (peek() != '\\') return nextChar();
        ++m_pos;
        if (atEnd()) fail("missing ']'");
        const char c = peek();
        ++m_pos;
        switch (c) {
        case 'n':
            return '\n';
        case 't':
            return '\t';
        case 'r':
            return '\r';
        case 'f':
            return '\f';
        case 'v':
            return '\v';
        case '0':
            return 0;
        default:
            --m_pos;
            return nextChar();
        }
    }

    int bracket() {
        ++m_pos; // '['
        NamePattern::CharClass cls;
        if (!atEnd() && peek() == '^') {
            cls.negated = true;
            ++m_pos;
        }
        bool first = true;
        while (!atEnd() && (peek() != ']' || first)) {
            first = false;
            if (peek() == '\\' && m_pos + 1 < m_text.size() &&
                std::string_view("dDwWsS").find(m_text[m_pos + 1]) != std::string_view::npos) {
                cls.escapes.push_back(m_text[m_pos + 1]);
                m_pos += 2;
                continue;
            }
            char32_t lo = classChar();
            char32_t hi = lo;
            if (m_pos + 1 < m_text.size() && peek() == '-' && m_text[m_pos + 1] != ']') {
                ++m_pos;
                hi = classChar();
                if (hi < lo) fail("range out of order in [...]");
            }
            if (m_out.m_caseInsensitive && lo == hi) lo = hi = foldCase(lo);
            cls.ranges.emplace_back(lo, hi);
        }
        if (atEnd()) fail("missing ']'");
        ++m_pos; // ']'
        m_out.m_classes.push_back(std::move(cls));
        return static_cast<int>(m_out.m_classes.size()) - 1;
    }

    int push(NamePattern::Instruction instruction) {
        if (m_out.m_program.size() >= NamePattern::kMaxProgram)
            throw CompileError{"pattern too large once its repeats are expanded (over " +
                               std::to_string(NamePattern::kMaxProgram) + " steps)"};
        m_out.m_program.push_back(instruction);
        return static_cast<int>(m_out.m_program.size()) - 1;
    }

    int here() const { return static_cast<int>(m_out.m_program.size()); }

    void emit(int index) {
        const Node& n = m_nodes[static_cast<std::size_t>(index)];
        using Op = NamePattern::Op;
        switch (n.kind) {
        case Node::Kind::Empty:
            return;
        case Node::Kind::Char:
            push({Op::Char, n.ch});
            return;
        case Node::Kind::Any:
            push({Op::Any});
            return;
        case Node::Kind::Class:
            push({Op::Class, 0, n.cls});
            return;
        case Node::Kind::Begin:
            push({Op::Begin});
            return;
        case Node::Kind::End:
            push({Op::End});
            return;
        case Node::Kind::WordBoundary:
            push({Op::WordBoundary});
            return;
        case Node::Kind::NotWordBoundary:
            push({Op::NotWordBoundary});
            return;
        case Node::Kind::Concat:
            for (const int child : n.children)
                emit(child);
            return;
        case Node::Kind::Alternate: {
            // split L1, next; L1: a; jump end; next: split L2, ... ; last alternative falls through.
            std::vector<int> jumps;
            for (std::size_t i = 0; i < n.children.size(); ++i) {
                if (i + 1 < n.children.size()) {
                    const int split = push({Op::Split});
                    m_out.m_program[static_cast<std::size_t>(split)].x = here();
                    emit(n.children[i]);
                    jumps.push_back(push({Op::Jump}));
                    m_out.m_program[static_cast<std::size_t>(split)].y = here();
                } else {
                    emit(n.children[i]);
                }
            }
            for (const int jump : jumps)
                m_out.m_program[static_cast<std::size_t>(jump)].x = here();
            return;
        }
        case Node::Kind::Repeat:
            emitRepeat(n);
            return;
        }
    }

    void emitRepeat(const Node& n) {
        using Op = NamePattern::Op;
        const int child = n.children.front();
        for (int i = 0; i < n.min; ++i)
            emit(child);
        if (n.max == kUnbounded) {
            // loop: split body, exit; body: child; jump loop; exit:
            const int loop = push({Op::Split});
            m_out.m_program[static_cast<std::size_t>(loop)].x = here();
            emit(child);
            push({Op::Jump, 0, loop});
            m_out.m_program[static_cast<std::size_t>(loop)].y = here();
            return;
        }
        std::vector<int> splits;
        for (int i = n.min; i < n.max; ++i) {
            const int split = push({Op::Split});
            m_out.m_program[static_cast<std::size_t>(split)].x = here();
            splits.push_back(split);
            emit(child);
        }
        for (const int split : splits)
            m_out.m_program[static_cast<std::size_t>(split)].y = here();
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    NamePattern& m_out;
    std::vector<Node> m_nodes;
};

std::optional<NamePattern> NamePattern::compile(std::string_view pattern, bool caseInsensitive,
                                                std::string& error) {
    if (pattern.size() > kMaxPatternChars) {
        error = "pattern longer than " + std::to_string(kMaxPatternChars) + " characters";
        return std::nullopt;
    }
    NamePattern out;
    out.m_caseInsensitive = caseInsensitive;
    try {
        NamePatternCompiler(pattern, out).compile();
    } catch (const CompileError& e) {
        error = e.message;
        return std::nullopt;
    }
    return out;
}

bool NamePattern::search(std::string_view text) const {
    const std::size_t size = m_program.size();
    std::vector<int> current, next, stack;
    current.reserve(size);
    next.reserve(size);
    std::vector<std::size_t> seen(size, 0); // generation in which each instruction was last queued
    std::size_t generation = 0;

    constexpr char32_t kNone = 0xFFFFFFFF; // before the start or past the end
    std::size_t pos = 0;
    char32_t previous = kNone;
    std::size_t length = 0;
    char32_t cur = text.empty() ? kNone : decodeUtf8(text, 0, length);

    // Follows jumps, splits and assertions from pc at the current position; queues the instructions that
    // consume a character. True when Match is reachable (the search is done).
    auto add = [&](std::vector<int>& list, int start) {
        stack.clear();
        stack.push_back(start);
        while (!stack.empty()) {
            const int pc = stack.back();
            stack.pop_back();
            auto& mark = seen[static_cast<std::size_t>(pc)];
            if (mark == generation) continue;
            mark = generation;
            const Instruction& in = m_program[static_cast<std::size_t>(pc)];
            switch (in.op) {
            case Op::Match:
                return true;
            case Op::Jump:
                stack.push_back(in.x);
                break;
            case Op::Split:
                stack.push_back(in.y);
                stack.push_back(in.x);
                break;
            case Op::Begin:
                if (pos == 0) stack.push_back(pc + 1);
                break;
            case Op::End:
                if (pos == text.size()) stack.push_back(pc + 1);
                break;
            case Op::WordBoundary:
            case Op::NotWordBoundary: {
                const bool before = previous != kNone && isWord(previous);
                const bool after = cur != kNone && isWord(cur);
                if ((before != after) == (in.op == Op::WordBoundary)) stack.push_back(pc + 1);
                break;
            }
            default:
                list.push_back(pc);
            }
        }
        return false;
    };

    auto consumes = [&](const Instruction& in, char32_t c) {
        switch (in.op) {
        case Op::Char:
            return (m_caseInsensitive ? foldCase(c) : c) == in.ch;
        case Op::Any:
            return c != '\n' && c != '\r';
        case Op::Class:
            return inClass(m_classes[static_cast<std::size_t>(in.x)], c, m_caseInsensitive);
        default:
            return false;
        }
    };

    ++generation;
    if (add(current, 0)) return true;
    while (pos < text.size()) {
        const char32_t consumed = cur;
        const std::size_t step = length;
        ++generation;
        next.clear();
        // Position after the character: the context the next instructions' assertions see.
        pos += step;
        previous = consumed;
        cur = pos < text.size() ? decodeUtf8(text, pos, length) : kNone;
        for (const int pc : current)
            if (consumes(m_program[static_cast<std::size_t>(pc)], consumed) && add(next, pc + 1)) return true;
        if (add(next, 0)) return true; // a match may also start here
        current.swap(next);
    }
    return false;
}

} // namespace runlens
