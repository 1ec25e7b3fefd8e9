// Feeds arbitrary bytes to `hale inspect` as an archive stream, handed out in pieces of a
// size the first byte picks: reading, resolving and accounting must never crash, and every
// input ends in a report or an error.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "image/inspect.hpp"

namespace {

class PieceSource : public hale::image::ByteSource {
public:
    PieceSource(const uint8_t* data, size_t size, size_t piece)
        : data_(data), size_(size), piece_(piece) {}

    hale::image::Result<hale::image::Chunk> next() override {
        size_t take = std::min(piece_, size_ - at_);
        hale::image::Chunk chunk(data_ + at_, take);
        at_ += take;
        return chunk;
    }

private:
    const uint8_t* data_;
    size_t size_;
    size_t piece_;
    size_t at_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) {
        return 0;
    }
    hale::image::InspectOptions options;
    options.read.limits.max_entries = 10000;
    options.read.limits.bomb_floor = 1 << 20;
    options.read.limits.max_ratio = 100;
    PieceSource source(data + 1, size - 1, 1 + data[0] % 128U);
    auto store = hale::image::read_tar_stream(source, options.read);
    if (!store) {
        assert(!store.error().empty());
        return 0;
    }
    auto report = hale::image::inspect_store(**store, "fuzz", options);
    if (!report) {
        assert(!report.error().empty());
    }
    return 0;
}
