// Parsing JSON from untrusted places: image archives, mounted files, the Docker API. The shape of
// the text is bounded before the parser runs, since the parser recurses (hale serve's threads
// have small stacks) and a document of tiny values ("[0,0,0,...]") takes many times its size
// once parsed.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "probes/result.hpp"

namespace hale::probes {

// Ordered, as hale prints JSON everywhere, so that one instantiation of the library serves all.
using Json = nlohmann::ordered_json;

struct JsonLimits {
    // Real manifests, configs and reports nest 4 to 6 levels.
    int max_depth = 64;
    // An image config of 4096 layers with their history holds about 30,000 values.
    uint64_t max_values = uint64_t{1} << 18;
    // Keys of one object: labels and annotations are the largest, with tens. The parser keeps
    // an object's keys in insertion order and checks each new key against all before it, so
    // this bounds its quadratic work.
    uint64_t max_members = 1024;
};

// TEXT parsed; otherwise one of "invalid WHAT: nested deeper than N levels", "invalid WHAT:
// more than N values; real ones hold a few thousand", "invalid WHAT: an object of more than N
// members", "invalid WHAT: not JSON".
Result<Json> parse_json_text(const std::string& text,
                             const std::string& what,
                             JsonLimits limits = {});

}  // namespace hale::probes
