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

    PathTable();

    // The child called `name` of `parent`, added when missing.
    Node child(Node parent, std::string_view name);
    // The child called `name` of `parent`, or kNone.
    Node find(Node parent, std::string_view name) const;

    Node parent(Node node) const { return nodes_[node].parent; }
    Node first_child(Node node) const { return nodes_[node].first_child; }
    Node next_sibling(Node node) const { return nodes_[node].next_sibling; }
    std::string_view name(Node node) const;
    size_t size() const { return nodes_.size(); }

    // "/app/data.bin"; the root is "/".
    std::string path(Node node) const;

    // Interns an archive entry name, cleaned as a rooted path: "./app//x/", "/app/x" and
    // "app/y/../x" all give /app/x, and ".." never climbs above the root. nullopt for names
    // that clean to the root itself ("", ".", "./") or that are longer than kMaxPath.
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
    size_t name_used_ = 0;
    // Open-addressing index (parent, name) -> node; kNone marks a free slot.
    std::vector<Node> index_;
};

// Splits a cleaned, rooted path into its components: "/a/b" -> {"a", "b"}. ".." removes the
// previous component, "." and empty components are dropped.
std::vector<std::string_view> clean_components(std::string_view raw);

}  // namespace hale::image
