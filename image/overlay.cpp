#include "image/overlay.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace hale::image {
namespace {

using Node = PathTable::Node;

constexpr uint32_t kHidden = UINT32_MAX;
constexpr uint32_t kImplicitDir = UINT32_MAX - 1;
constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kMetadataPrefix = ".wh..wh.";
constexpr std::string_view kOpaque = ".wh..wh..opq";
constexpr int kMaxSymlinks = 40;
constexpr int kMaxHardlinkHops = 8;

bool is_gid(uint32_t value) {
    return value < kImplicitDir;
}

std::map<std::string, std::string> xattr_map(const Layer& layer, uint32_t index) {
    std::map<std::string, std::string> map;
    if (auto found = layer.xattrs.find(index); found != layer.xattrs.end()) {
        for (auto& [name, value] : split_xattrs(found->second)) {
            map[name] = value;
        }
    }
    return map;
}

std::vector<std::string> changed_xattrs(const std::map<std::string, std::string>& before,
                                        const std::map<std::string, std::string>& after) {
    std::vector<std::string> names;
    for (const auto& [name, value] : before) {
        auto found = after.find(name);
        if (found == after.end() || found->second != value) {
            names.push_back(name);
        }
    }
    for (const auto& [name, value] : after) {
        if (before.count(name) == 0) {
            names.push_back(name);
        }
    }
    return names;
}

}  // namespace

const char* waste_class_name(WasteClass kind) {
    switch (kind) {
        case WasteClass::Ghost:
            return "ghost";
        case WasteClass::Overwritten:
            return "overwritten";
        case WasteClass::Deleted:
            break;
    }
    return "deleted";
}

Overlay::Overlay(const std::vector<const Layer*>& layers, const PathTable& paths)
    : layers_(layers), paths_(paths), visible_(paths.size(), kHidden), shown_children_(paths) {
    Gid total = 0;
    for (const Layer* layer : layers_) {
        bases_.push_back(total);
        total += static_cast<Gid>(layer->entries.size());
    }
    hidden_.assign(total, Hidden{});
    for (uint32_t position = 0; position < layers_.size(); ++position) {
        apply(position);
        resolve_hardlinks(position);
    }
    account();
}

uint32_t Overlay::position_of(Gid gid) const {
    auto after = std::upper_bound(bases_.begin(), bases_.end(), gid);
    return static_cast<uint32_t>(after - bases_.begin() - 1);
}

const Entry& Overlay::entry_of(Gid gid) const {
    uint32_t position = position_of(gid);
    return layers_[position]->entries[gid - bases_[position]];
}

bool Overlay::is_dir(Node node) const {
    Gid shown = visible_[node];
    return shown == kImplicitDir || (is_gid(shown) && entry_of(shown).type == EntryType::Directory);
}

void Overlay::apply(uint32_t position) {
    const Layer& layer = *layers_[position];

    // Opaque directories and whiteouts hide lower layers only, so they go first whatever
    // their place in the tar (OCI image-spec layer.md, "Whiteouts"). A directory marked
    // opaque several times is cleared once.
    opaque_.clear();
    for (size_t k = 0; k < layer.entries.size(); ++k) {
        Node node = layer.entries[k].node;
        if (paths_.name(node) == kOpaque) {
            opaque_.push_back(paths_.parent(node));
        }
    }
    std::sort(opaque_.begin(), opaque_.end());
    opaque_.erase(std::unique(opaque_.begin(), opaque_.end()), opaque_.end());
    for (Node dir : opaque_) {
        hide_below(dir, false, dir, position, WasteClass::Deleted);
    }
    size_t bare_whiteouts = 0;
    for (size_t k = 0; k < layer.entries.size(); ++k) {
        Node node = layer.entries[k].node;
        auto name = paths_.name(node);
        if (!name.starts_with(kWhiteout) || name.starts_with(kMetadataPrefix)) {
            continue;
        }
        if (name.size() == kWhiteout.size()) {
            ++bare_whiteouts;
            continue;
        }
        Node target = paths_.find(paths_.parent(node), name.substr(kWhiteout.size()));
        if (target != PathTable::kNone && visible_[target] != kHidden) {
            hide_below(target, true, target, position, WasteClass::Deleted);
        }
    }
    if (bare_whiteouts > 0) {
        warnings_.push_back("layer " + std::to_string(position) + " has " +
                            std::to_string(bare_whiteouts) +
                            " whiteouts named '.wh.' with no file name; ignored");
    }

    // Then the layer's own entries, in tar order.
    for (size_t k = 0; k < layer.entries.size(); ++k) {
        const Entry& entry = layer.entries[k];
        if (paths_.name(entry.node).starts_with(kWhiteout)) {
            continue;
        }
        Gid gid = bases_[position] + static_cast<Gid>(k);
        ensure_parents(entry.node, position);
        Gid before = visible_[entry.node];
        bool now_dir = entry.type == EntryType::Directory;
        if (is_gid(before)) {
            bool was_dir = entry_of(before).type == EntryType::Directory;
            if (was_dir && !now_dir) {
                hide_below(entry.node, false, entry.node, position, WasteClass::Deleted);
            }
            if (!(was_dir && now_dir)) {
                compare(entry.node, before, gid, position);
            }
            hide(before, entry.node, position, WasteClass::Overwritten);
        } else if (before == kImplicitDir && !now_dir) {
            hide_below(entry.node, false, entry.node, position, WasteClass::Deleted);
        }
        show(entry.node, gid);
    }
}

// A path below a file, or below nothing, makes its parents directories (tars may leave out
// the directory entries).
void Overlay::ensure_parents(Node node, uint32_t position) {
    stack_.clear();
    for (Node at = paths_.parent(node); at != PathTable::kRoot && !is_dir(at);
         at = paths_.parent(at)) {
        stack_.push_back(at);
    }
    std::reverse(stack_.begin(), stack_.end());  // top down
    for (Node parent : stack_) {
        if (is_gid(visible_[parent])) {
            hide(visible_[parent], parent, position, WasteClass::Deleted);
        }
        show(parent, kImplicitDir);
    }
}

void Overlay::hide(Gid gid, Node cause, uint32_t position, WasteClass kind) {
    hidden_[gid] = {cause, position, kind, true};
}

// Walks only the nodes still shown (see LiveChildren).
void Overlay::hide_below(
    Node top, bool include_top, Node cause, uint32_t position, WasteClass kind) {
    stack_.assign(1, top);
    while (!stack_.empty()) {
        Node node = stack_.back();
        stack_.pop_back();
        for (Node child = shown_children_.first(node); child != PathTable::kNone;
             child = shown_children_.next(child)) {
            stack_.push_back(child);
        }
        if (node != top || include_top) {
            if (is_gid(visible_[node])) {
                hide(visible_[node], cause, position, kind);
            }
            show(node, kHidden);
        }
    }
}

// Sets what `node` shows, keeping its parent's list of shown children in step.
void Overlay::show(Node node, Gid shown) {
    visible_[node] = shown;
    if (shown == kHidden) {
        shown_children_.erase(node);
    } else {
        shown_children_.insert(node);
    }
}

void Overlay::compare(Node node, Gid before, Gid after, uint32_t position) {
    const Entry& old_entry = entry_of(before);
    const Entry& new_entry = entry_of(after);
    bool same_content = old_entry.type == EntryType::Regular &&
                        new_entry.type == EntryType::Regular && old_entry.size > 0 &&
                        old_entry.size == new_entry.size && old_entry.content == new_entry.content;
    if (!same_content) {
        content_changed_.push_back(node);
        return;
    }
    uint32_t from = position_of(before);
    Ghost ghost{node, from, position, old_entry.size, &old_entry, &new_entry, {}};
    if (old_entry.has_xattrs || new_entry.has_xattrs) {
        ghost.xattrs_changed =
            changed_xattrs(xattr_map(*layers_[from], before - bases_[from]),
                           xattr_map(*layers_[position], after - bases_[position]));
    }
    ghosts_.push_back(std::move(ghost));
}

// Hard links name another path of the same layer; they share its content, so its bytes stay
// shown while any of the names is.
void Overlay::resolve_hardlinks(uint32_t position) {
    const Layer& layer = *layers_[position];
    std::unordered_map<Node, uint32_t> index_of;
    for (size_t k = 0; k < layer.entries.size(); ++k) {
        const Entry& entry = layer.entries[k];
        if (entry.type != EntryType::Hardlink || entry.link == Entry::kNoLink) {
            continue;
        }
        if (index_of.empty()) {
            for (size_t j = 0; j < layer.entries.size(); ++j) {
                index_of[layer.entries[j].node] = static_cast<uint32_t>(j);
            }
        }
        Node target = entry.link;
        for (int hop = 0; hop < kMaxHardlinkHops; ++hop) {
            auto found = index_of.find(target);
            if (found == index_of.end()) {
                break;
            }
            const Entry& leader = layer.entries[found->second];
            if (leader.type == EntryType::Regular) {
                hardlinks_.emplace_back(bases_[position] + static_cast<Gid>(k),
                                        bases_[position] + found->second);
                break;
            }
            if (leader.type != EntryType::Hardlink || leader.link == Entry::kNoLink) {
                break;
            }
            target = leader.link;
        }
    }
}

void Overlay::account() {
    std::vector<bool> shown(hidden_.size(), false);
    for (Gid gid : visible_) {
        if (is_gid(gid)) {
            shown[gid] = true;
        }
    }
    for (const auto& [link, leader] : hardlinks_) {
        if (shown[link]) {
            shown[leader] = true;
        }
    }

    std::unordered_map<Node, WastedPath> by_cause;
    std::unordered_map<Node, bool> deleted;
    for (uint32_t position = 0; position < layers_.size(); ++position) {
        const Layer& layer = *layers_[position];
        for (size_t k = 0; k < layer.entries.size(); ++k) {
            const Entry& entry = layer.entries[k];
            Gid gid = bases_[position] + static_cast<Gid>(k);
            if (entry.type != EntryType::Regular) {
                continue;
            }
            shipped_ += entry.size;
            const Hidden& hidden = hidden_[gid];
            if (shown[gid] || !hidden.hidden || entry.size == 0) {
                continue;
            }
            wasted_ += entry.size;
            auto [it, added] = by_cause.try_emplace(hidden.cause);
            WastedPath& path = it->second;
            if (added) {
                path = {hidden.cause, WasteClass::Ghost, 0, {}, kNotRemoved, 0, 0};
            }
            path.bytes += entry.size;
            path.files += 1;
            path.layers.push_back(position);
            if (hidden.kind == WasteClass::Deleted) {
                deleted[hidden.cause] = true;
                path.removed_in = path.removed_in == kNotRemoved
                                      ? hidden.layer
                                      : std::max(path.removed_in, hidden.layer);
            }
        }
    }

    std::sort(content_changed_.begin(), content_changed_.end());
    for (auto& [node, path] : by_cause) {
        const Entry* now = entry(node);
        if (now != nullptr && now->type != EntryType::Directory) {
            path.layers.push_back(layer_of(node));
        }
        std::sort(path.layers.begin(), path.layers.end());
        path.layers.erase(std::unique(path.layers.begin(), path.layers.end()), path.layers.end());
        path.copies = static_cast<uint32_t>(path.layers.size());
        if (deleted.count(node) > 0 || now == nullptr) {
            path.kind = WasteClass::Deleted;
        } else if (std::binary_search(content_changed_.begin(), content_changed_.end(), node)) {
            path.kind = WasteClass::Overwritten;
        } else {
            path.kind = WasteClass::Ghost;
        }
        wasted_paths_.push_back(std::move(path));
    }
    std::sort(wasted_paths_.begin(), wasted_paths_.end(),
              [this](const WastedPath& a, const WastedPath& b) {
                  if (a.bytes != b.bytes) {
                      return a.bytes > b.bytes;
                  }
                  return paths_.path(a.node) < paths_.path(b.node);
              });
}

bool Overlay::visible(Node node) const {
    return visible_[node] != kHidden;
}

const Entry* Overlay::entry(Node node) const {
    return is_gid(visible_[node]) ? &entry_of(visible_[node]) : nullptr;
}

uint32_t Overlay::layer_of(Node node) const {
    return is_gid(visible_[node]) ? position_of(visible_[node]) : kNotRemoved;
}

std::string_view Overlay::symlink_target(Node node) const {
    const Entry* shown = entry(node);
    if (shown == nullptr || shown->type != EntryType::Symlink || shown->link == Entry::kNoLink) {
        return {};
    }
    return layers_[layer_of(node)]->symlink_targets[shown->link];
}

const std::string* Overlay::captured_text(Node node) const {
    if (!is_gid(visible_[node])) {
        return nullptr;
    }
    uint32_t position = position_of(visible_[node]);
    uint32_t index = visible_[node] - bases_[position];
    for (const auto& [captured_index, text] : layers_[position]->captured) {
        if (captured_index == index) {
            return &text;
        }
    }
    return nullptr;
}

PathTable::Node Overlay::resolve(std::string_view path) const {
    // Components still to walk, last first.
    std::vector<std::string> pending;
    auto push_components = [&pending](std::string_view text) {
        std::vector<std::string> parts;
        size_t start = 0;
        while (start <= text.size()) {
            size_t slash = std::min(text.find('/', start), text.size());
            if (slash > start) {
                parts.emplace_back(text.substr(start, slash - start));
            }
            start = slash + 1;
        }
        pending.insert(pending.end(), parts.rbegin(), parts.rend());
    };
    push_components(path);
    Node node = PathTable::kRoot;
    int links = 0;
    while (!pending.empty()) {
        std::string part = std::move(pending.back());
        pending.pop_back();
        if (part == ".") {
            continue;
        }
        if (part == "..") {
            node = node == PathTable::kRoot ? node : paths_.parent(node);
            continue;
        }
        Node child = paths_.find(node, part);
        if (child == PathTable::kNone || !visible(child)) {
            return PathTable::kNone;
        }
        const Entry* shown = entry(child);
        if (shown != nullptr && shown->type == EntryType::Symlink) {
            if (++links > kMaxSymlinks) {
                return PathTable::kNone;
            }
            auto target = symlink_target(child);
            if (!target.empty() && target.front() == '/') {
                node = PathTable::kRoot;
            }
            push_components(target);
            continue;
        }
        node = child;
    }
    return node;
}

std::pair<uint64_t, uint64_t> Overlay::usage_below(Node top) const {
    uint64_t bytes = 0;
    uint64_t files = 0;
    std::vector<Node> stack{top};
    while (!stack.empty()) {
        Node node = stack.back();
        stack.pop_back();
        if (const Entry* shown = entry(node);
            shown != nullptr && shown->type == EntryType::Regular) {
            bytes += shown->size;
            files += 1;
        }
        for (Node child = paths_.first_child(node); child != PathTable::kNone;
             child = paths_.next_sibling(child)) {
            if (visible(child)) {
                stack.push_back(child);
            }
        }
    }
    return {bytes, files};
}

}  // namespace hale::image
