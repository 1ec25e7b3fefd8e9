// Every path of an image, interned once: a node per path component, shared by all layers of
// one archive. Layers then refer to paths by 32-bit node ids, which keeps memory proportional
// to the number of distinct names rather than to the bytes of every full path in every layer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image/chunked_vector.hpp"

namespace hale::image {

class PathTable {
public:
    using Node = uint32_t;
    static constexpr Node kRoot = 0;
    static constexpr Node kNone = UINT32_MAX;
    // Longer names are refused: Linux allows 4096 bytes for a whole path.
    static constexpr size_t kMaxPath = 4096;
    // Deeper names are refused: real images nest a few dozen levels, and a name of 2048
    // one-letter components would otherwise add 2048 nodes for one entry.
    static constexpr size_t kMaxDepth = 256;
    // Ceilings on what reading an archive may intern (ReadBudget holds the table to them):
    // they keep node ids and name offsets inside 32 bits, with room for the whiteout targets
    // that dive's accounting adds after reading.
    static constexpr uint64_t kMaxNodes = uint64_t{1} << 31;
    static constexpr uint64_t kMaxNameBytes = uint64_t{1} << 30;

    PathTable();

    // The child called `name` of `parent`, added when missing; kNone once 32-bit ids or name
    // offsets are used up.
    Node child(Node parent, std::string_view name);
    // The child called `name` of `parent`, or kNone.
    Node find(Node parent, std::string_view name) const;

    Node parent(Node node) const { return nodes_[node].parent; }
    Node first_child(Node node) const { return nodes_[node].first_child; }
    Node next_sibling(Node node) const { return nodes_[node].next_sibling; }
    std::string_view name(Node node) const;
    size_t size() const { return nodes_.size(); }
    // Bytes of all names stored, each component once.
    uint64_t name_bytes() const { return name_bytes_; }

    // "/app/data.bin"; the root is "/".
    std::string path(Node node) const;

    // Interns an archive entry name, cleaned as a rooted path: "./app//x/", "/app/x" and
    // "app/y/../x" all give /app/x, and ".." never climbs above the root. nullopt for names
    // that clean to the root itself ("", ".", "./"), that are longer than kMaxPath or deeper
    // than kMaxDepth, and once 32-bit ids or name offsets are used up.
    std::optional<Node> intern(std::string_view raw);
    // The same lookup without adding anything; kNone when the path was never interned.
    Node lookup(std::string_view raw) const;

private:
    struct Entry {
        Node parent;
        Node first_child;
        Node next_sibling;
        uint32_t name_offset;
        uint32_t name_size;
    };

    size_t slot_of(Node parent, std::string_view name) const;
    void grow_index();
    uint32_t store_name(std::string_view name);

    ChunkedVector<Entry> nodes_;
    // Names live in fixed blocks so that a name never moves once stored.
    std::vector<std::unique_ptr<char[]>> name_blocks_;
    // Offset of the next name: into the last block, or at its end when it is full.
    size_t name_used_ = 0;
    uint64_t name_bytes_ = 0;
    // Open-addressing index (parent, name) -> node; kNone marks a free slot.
    std::vector<Node> index_;
};

// Splits a cleaned, rooted path into its components: "/a/b" -> {"a", "b"}. ".." removes the
// previous component, "." and empty components are dropped.
std::vector<std::string_view> clean_components(std::string_view raw);

}  // namespace hale::image
