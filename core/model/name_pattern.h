// A regular expression for run names and filters that matches in linear time (a Pike VM), whatever the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// The user's regex (the common ECMAScript subset: literals, ., [...] classes, \d \w \s \b and their
// negations, ^ $, groups, |, * + ? {n,m}) compiled to a program that a Pike VM runs over the text once, so
// the cost is at most (text length x program size) steps and no recursion depends on the input: `^(a+)+$`
// against a 20,000-character name answers at once instead of backtracking for minutes or overflowing the
// stack. Backreferences and lookaround need backtracking and are refused with a message.
class NamePattern {
  public:
    static constexpr std::size_t kMaxPatternChars = 4096;
    static constexpr std::size_t kMaxProgram = 100000; // instructions, after {n,m} are expanded
    static constexpr int kMaxNesting = 200;            // groups inside groups

    // nullopt with error set ("unsupported: backreference \1 (…)") when the pattern cannot be compiled.
    static std::optional<NamePattern> compile(std::string_view pattern, bool caseInsensitive,
                                              std::string& error);

    // True when the pattern matches anywhere in text (std::regex_search semantics). Text is UTF-8; a byte
    // that is not part of valid UTF-8 is one character of its own.
    bool search(std::string_view text) const;
    std::size_t programSize() const { return m_program.size(); }

    enum class Op : std::uint8_t {
        Char,
        Any,
        Class,
        Split,
        Jump,
        Begin,
        End,
        WordBoundary,
        NotWordBoundary,
        Match
    };
    struct Instruction {
        Op op = Op::Match;
        char32_t ch = 0;
        int x = 0; // Class: class index; Split/Jump: first target
        int y = 0; // Split: second target
    };
    struct CharClass {
        std::vector<std::pair<char32_t, char32_t>> ranges;
        std::vector<char> escapes; // 'd' 'w' 's' 'D' 'W' 'S' inside the brackets
        bool negated = false;
    };

  private:
    friend class NamePatternCompiler;
    std::vector<Instruction> m_program;
    std::vector<CharClass> m_classes;
    bool m_caseInsensitive = false;
};

} // namespace runlens
