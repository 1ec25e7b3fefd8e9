#include "image/path_table.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <functional>

namespace hale::image {
namespace {

constexpr size_t kNameBlock = 1 << 20;

}  // namespace

std::vector<std::string_view> clean_components(std::string_view raw) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (start <= raw.size()) {
        size_t slash = raw.find('/', start);
        if (slash == std::string_view::npos) {
            slash = raw.size();
        }
        std::string_view part = raw.substr(start, slash - start);
        start = slash + 1;
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == "..") {
            if (!parts.empty()) {
                parts.pop_back();
            }
            continue;
        }
        parts.push_back(part);
    }
    return parts;
}

PathTable::PathTable() {
    nodes_.push_back({kNone, kNone, kNone, 0, 0});
    index_.assign(1024, kNone);
}

std::string_view PathTable::name(Node node) const {
    const Entry& entry = nodes_[node];
    if (entry.name_size == 0) {
        return {};
    }
    const char* block = name_blocks_[entry.name_offset / kNameBlock].get();
    return {block + entry.name_offset % kNameBlock, entry.name_size};
}

std::string PathTable::path(Node node) const {
    if (node == kRoot) {
        return "/";
    }
    std::vector<Node> chain;
    for (Node at = node; at != kRoot; at = parent(at)) {
        chain.push_back(at);
    }
    std::string text;
    std::reverse(chain.begin(), chain.end());
    for (Node part : chain) {
        text += '/';
        text += name(part);
    }
    return text;
}

size_t PathTable::slot_of(Node parent, std::string_view name) const {
    size_t hash = std::hash<std::string_view>{}(name) ^ (size_t{parent} * 0x9e3779b97f4a7c15ULL);
    size_t mask = index_.size() - 1;
    size_t slot = hash & mask;
    while (index_[slot] != kNone) {
        const Entry& entry = nodes_[index_[slot]];
        if (entry.parent == parent && this->name(index_[slot]) == name) {
            return slot;
        }
        slot = (slot + 1) & mask;
    }
    return slot;
}

void PathTable::grow_index() {
    std::vector<Node> old;
    old.swap(index_);
    index_.assign(old.size() * 2, kNone);
    for (Node node : old) {
        if (node != kNone) {
            index_[slot_of(nodes_[node].parent, name(node))] = node;
        }
    }
}

uint32_t PathTable::store_name(std::string_view name) {
    assert(name.size() <= kMaxPath);
    // A name that does not fit in what is left of the last block starts a new one; so does
    // any name once the last block is exactly full.
    size_t blocks_end = name_blocks_.size() * kNameBlock;
    if (name_used_ + name.size() > blocks_end) {
        name_used_ = blocks_end;
        name_blocks_.push_back(std::make_unique<char[]>(kNameBlock));
    }
    if (!name.empty()) {
        std::memcpy(name_blocks_[name_used_ / kNameBlock].get() + name_used_ % kNameBlock,
                    name.data(), name.size());
    }
    auto offset = static_cast<uint32_t>(name_used_);
    name_used_ += name.size();
    name_bytes_ += name.size();
    return offset;
}

PathTable::Node PathTable::find(Node parent, std::string_view name) const {
    return index_[slot_of(parent, name)];
}

PathTable::Node PathTable::child(Node parent, std::string_view name) {
    size_t slot = slot_of(parent, name);
    if (index_[slot] != kNone) {
        return index_[slot];
    }
    if (nodes_.size() >= kNone || name_used_ + kNameBlock > UINT32_MAX) {
        return kNone;
    }
    auto node = static_cast<Node>(nodes_.size());
    Entry entry{parent, kNone, nodes_[parent].first_child, store_name(name),
                static_cast<uint32_t>(name.size())};
    nodes_.push_back(entry);
    nodes_[parent].first_child = node;
    index_[slot] = node;
    if (nodes_.size() * 2 > index_.size()) {
        grow_index();
    }
    return node;
}

std::optional<PathTable::Node> PathTable::intern(std::string_view raw) {
    if (raw.size() > kMaxPath) {
        return std::nullopt;
    }
    auto parts = clean_components(raw);
    if (parts.empty() || parts.size() > kMaxDepth) {
        return std::nullopt;
    }
    Node node = kRoot;
    for (auto part : parts) {
        node = child(node, part);
        if (node == kNone) {
            return std::nullopt;
        }
    }
    return node;
}

PathTable::Node PathTable::lookup(std::string_view raw) const {
    Node node = kRoot;
    for (auto part : clean_components(raw)) {
        node = find(node, part);
        if (node == kNone) {
            return kNone;
        }
    }
    return node;
}

}  // namespace hale::image
