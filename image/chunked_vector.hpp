// A vector that grows in fixed chunks: no reallocation past its first chunk, so no moment where
// the old and the new buffer are both alive. Per-entry tables of a 500,000-file layer stay at
// their own size instead of briefly tripling while a std::vector doubles. The first chunk
// starts small and doubles up to the chunk size, so that a table of a few entries (a layer of
// two files, one of thousands in an archive) does not pay for a whole chunk.
#pragma once

#include <algorithm>
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
        if (size_ == capacity_) {
            grow();
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
    static constexpr size_t kFirstChunk = std::min<size_t>(16, kChunk);

    void grow() {
        if (capacity_ >= kChunk) {
            chunks_.push_back(std::make_unique<T[]>(kChunk));
            capacity_ += kChunk;
            return;
        }
        size_t grown = capacity_ == 0 ? kFirstChunk : std::min(capacity_ * 2, kChunk);
        auto first = std::make_unique<T[]>(grown);
        if (!chunks_.empty()) {
            std::copy_n(chunks_[0].get(), size_, first.get());
            chunks_[0] = std::move(first);
        } else {
            chunks_.push_back(std::move(first));
        }
        capacity_ = grown;
    }

    std::vector<std::unique_ptr<T[]>> chunks_;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

}  // namespace hale::image
