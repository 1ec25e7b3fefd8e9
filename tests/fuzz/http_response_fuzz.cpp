// Feeds arbitrary bytes to the HTTP response reader in arbitrary pieces: it must never crash,
// never keep more than its caps, and always end in a defined phase after finish().
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/http_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using hale::probes::HttpResponseReader;
    if (size < 2) {
        return 0;
    }

    // The first byte picks the options, the second the piece size.
    HttpResponseReader::Limits limits;
    limits.body_cap = 1 + (data[0] & 0x3f) * 16U;
    limits.keep_body = (data[0] & 0x40) != 0;
    const bool head = (data[0] & 0x80) != 0;
    const size_t piece = 1 + data[1] % 64U;
    std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

    HttpResponseReader reader(head, limits);
    while (!input.empty()) {
        auto phase = reader.feed(input.substr(0, piece));
        input.remove_prefix(std::min(piece, input.size()));
        if (phase == HttpResponseReader::Phase::Done ||
            phase == HttpResponseReader::Phase::Failed) {
            break;
        }
    }
    auto phase = reader.finish();
    assert(phase == HttpResponseReader::Phase::Done || phase == HttpResponseReader::Phase::Failed);
    assert(reader.response().body.size() <= limits.body_cap);
    assert(reader.response().body_bytes <= limits.body_cap);
    assert(reader.response().headers.size() <= limits.header_count);
    (void)phase;
    return 0;
}
