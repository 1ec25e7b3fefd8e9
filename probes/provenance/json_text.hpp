// Small helpers for the JSON files the provenance readers take from untrusted places (a baked
// file, a mounted layer report, a Docker API answer): nesting is bounded before parsing, since
// the parser recurses and hale serve's threads have small stacks; text quoted in a warning is
// cut short and made printable.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/json_text.hpp"
#include "probes/result.hpp"

namespace hale::probes::provenance {

using Json = probes::Json;

// TEXT parsed within probes::parse_json_text's limits, nesting at most 32 levels.
Result<Json> parse_provenance_json(const std::string& text, const std::string& what);

// The JSON object in the file at PATH, read up to CAP bytes. nullopt, with one line in WARNINGS,
// when the file cannot be read, is not JSON or holds something else than an object (EXPECTED
// names what it should hold); nullopt and no warning when it does not exist and nobody named it,
// since then the source is simply not in use.
std::optional<Json> read_json_object(const std::string& path,
                                     size_t cap,
                                     bool explicit_path,
                                     std::string_view expected,
                                     std::vector<std::string>& warnings);

// 'TEXT' in single quotes, control characters as '?', at most 64 characters then "...".
std::string quote(std::string_view text);

// The JSON type of VALUE as a warning names it: "a number", "an object", "null"...
std::string type_name(const Json& value);

}  // namespace hale::probes::provenance
