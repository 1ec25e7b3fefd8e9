// Small text helpers shared by the parsers of untrusted input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hale::probes {

// Without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

// ASCII lowercase; other bytes as they are.
std::string lowercase(std::string_view text);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Text from a peer, an archive or a file, made safe for one line of output: control bytes and
// DEL become \xNN escapes (so a peer cannot forge a line or drive a terminal), and text longer
// than `cap` bytes is cut and ends in "...".
//   "ok"            -> "ok"
//   "a\r\nb"        -> "a\x0d\x0ab"
//   "\x1b[31mred"   -> "\x1b[31mred" (the escape byte written out as four characters)
std::string printable(std::string_view text, size_t cap = std::string_view::npos);

// An errno as the end of a "cannot <verb> <object>: <reason>" message: strerror, lowercased
// ("connection refused"), and "timed out" for ETIMEDOUT.
std::string describe_errno(int error);

// The value of a hex digit, or -1.
int hex_value(char c);

// A character allowed in an HTTP token (RFC 9110 section 5.6.2): header names, methods.
bool is_token_char(char c);

}  // namespace hale::probes
