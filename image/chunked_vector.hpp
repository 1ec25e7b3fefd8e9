// A vector that grows in fixed chunks: no reallocation, so no moment where the old and the new
// buffer are both alive. Per-entry tables of a 500,000-file layer stay at their own size
// instead of briefly tripling while a std::vector doubles.
#pragma once

#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

namespace hale::image {

template <class T, size_t kChunk = 4096>
class ChunkedVector {
public:
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    void push_back(const T& value) {
        if (size_ == chunks_.size() * kChunk) {
            chunks_.push_back(std::make_unique<T[]>(kChunk));
        }
        chunks_[size_ / kChunk][size_ % kChunk] = value;
        ++size_;
    }

    // Appends `count` copies of `value`.
    void resize(size_t count, const T& value) {
        while (size_ < count) {
            push_back(value);
        }
    }

    T& operator[](size_t index) {
        assert(index < size_);
        return chunks_[index / kChunk][index % kChunk];
    }
    const T& operator[](size_t index) const {
        assert(index < size_);
        return chunks_[index / kChunk][index % kChunk];
    }

    T& back() { return (*this)[size_ - 1]; }

private:
    std::vector<std::unique_ptr<T[]>> chunks_;
    size_t size_ = 0;
};

}  // namespace hale::image
