// Reading the small JSON documents of image archives, which come from untrusted input: parsed
// within probes::parse_json_text's limits, read through getters that never throw on wrong types.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/json_text.hpp"
#include "probes/result.hpp"

namespace hale::image {

// Ordered, like the JSON inspect prints, so one instantiation of the library serves both.
using Json = probes::Json;

// Parses `text`; `what` names the document in the error ("invalid manifest.json: ...").
inline probes::Result<Json> parse_json(const std::string& text, const std::string& what) {
    return probes::parse_json_text(text, what);
}

// The member `key` of an object, or nullptr (also when `value` is not an object).
const Json* member(const Json& value, std::string_view key);
// A string member, or "" when missing or not a string.
std::string string_member(const Json& value, std::string_view key);
// A bool member, or false.
bool bool_member(const Json& value, std::string_view key);
// The strings of an array member; other elements are skipped.
std::vector<std::string> string_array(const Json& value, std::string_view key);

}  // namespace hale::image
