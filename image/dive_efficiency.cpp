#include "image/dive_efficiency.hpp"

#include <algorithm>
#include <cassert>
#include <string_view>

#include "image/live_children.hpp"

namespace hale::image {
namespace {

using Node = PathTable::Node;

constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kOpaquePrefix = ".wh..wh..";

// Whiteout targets become nodes first, so that every per-node table can be sized once.
PathTable& with_whiteout_targets(const std::vector<const Layer*>& layers, PathTable& paths) {
    for (const Layer* layer : layers) {
        for (size_t k = 0; k < layer->entries.size(); ++k) {
            Node node = layer->entries[k].node;
            auto name = paths.name(node);
            if (name.starts_with(kWhiteout) && !name.starts_with(kOpaquePrefix)) {
                // The read budget keeps the table far below 32-bit ids, so this cannot fail.
                [[maybe_unused]] Node target =
                    paths.child(paths.parent(node), name.substr(kWhiteout.size()));
                assert(target != PathTable::kNone);
            }
        }
    }
    return paths;
}

class DiveModel {
public:
    DiveModel(const std::vector<const Layer*>& layers, PathTable& paths)
        : layers_(layers), paths_(with_whiteout_targets(layers, paths)), present_(paths_) {
        size_t count = paths_.size();
        in_layer_.assign(count, 0);
        has_child_.assign(count, 0);
        payload_.assign(count, 0);
        stacked_.assign(count, Stacked{});
        sums_.assign(count, Sum{});
    }

    DiveResult run() {
        DiveResult result;
        for (uint32_t i = 0; i < layers_.size(); ++i) {
            build_tree(i);
            result.tree_nodes.push_back(tree_.size());
            if (i == 0) {
                // dive compares layer 0's whiteouts with a copy of layer 0's own tree.
                add_tree(*layers_[i], true);
                evaluate(*layers_[i]);
                remove_whiteouts();
            } else {
                evaluate(*layers_[i]);
                remove_whiteouts();
                add_tree(*layers_[i], false);
            }
        }
        for (Node node = 0; node < sums_.size(); ++node) {
            const Sum& sum = sums_[node];
            if (sum.count == 0) {
                continue;
            }
            result.total = saturating_add(result.total, sum.cumulative);
            result.minimum = saturating_add(result.minimum, sum.minimum);
            if (sum.count >= 2) {
                result.inefficiencies.push_back({node, sum.count, sum.cumulative, sum.minimum});
                result.wasted_bytes = saturating_add(result.wasted_bytes, sum.cumulative);
            }
        }
        result.efficiency = result.total == 0 ? 1.0
                                              : static_cast<double>(result.minimum) /
                                                    static_cast<double>(result.total);
        std::sort(result.inefficiencies.begin(), result.inefficiencies.end(),
                  [this](const DiveInefficiency& a, const DiveInefficiency& b) {
                      if (a.cumulative != b.cumulative) {
                          return a.cumulative > b.cumulative;
                      }
                      return paths_.path(a.node) < paths_.path(b.node);
                  });
        return result;
    }

private:
    struct Stacked {
        uint64_t size = 0;
        bool exists = false;
        bool is_dir = false;
    };
    struct Sum {
        uint64_t cumulative = 0;
        uint64_t minimum = 0;
        uint32_t count = 0;
    };

    // dive's AddPath for every entry: intermediate directories are added with an empty
    // payload, the entry's own node takes its header; names starting with .wh..wh.. are never
    // added (nor is anything below them).
    void build_tree(uint32_t index) {
        uint32_t stamp = index + 1;
        tree_.clear();
        const Layer& layer = *layers_[index];
        for (size_t k = 0; k < layer.entries.size(); ++k) {
            Node node = layer.entries[k].node;
            chain_.clear();
            for (Node at = node; at != PathTable::kRoot && in_layer_[at] != stamp;
                 at = paths_.parent(at)) {
                chain_.push_back(at);
            }
            bool reached = true;
            std::reverse(chain_.begin(), chain_.end());  // top down, as AddPath walks
            for (Node added : chain_) {
                if (paths_.name(added).starts_with(kOpaquePrefix)) {
                    reached = false;
                    break;
                }
                in_layer_[added] = stamp;
                payload_[added] = 0;
                has_child_[paths_.parent(added)] = stamp;
                tree_.push_back(added);
            }
            if (reached) {
                payload_[node] = static_cast<uint32_t>(k + 1);
            }
        }
        stamp_ = stamp;
    }

    const Entry* payload(const Layer& layer, Node node) const {
        return payload_[node] == 0 ? nullptr : &layer.entries[payload_[node] - 1];
    }

    bool is_whiteout(Node node) const { return paths_.name(node).starts_with(kWhiteout); }

    Node whiteout_target(Node node) const {
        return paths_.find(paths_.parent(node), paths_.name(node).substr(kWhiteout.size()));
    }

    // Visits the leaves of the layer's tree (efficiency.go's visitor).
    void evaluate(const Layer& layer) {
        for (Node node : tree_) {
            if (has_child_[node] == stamp_) {
                continue;
            }
            Node key = node;
            uint64_t size = 0;
            if (is_whiteout(node)) {
                key = whiteout_target(node);
                const Stacked& before = stacked_[key];
                if (before.exists && before.is_dir) {
                    size = subtree_size(key);
                }
            } else if (const Entry* entry = payload(layer, node)) {
                size = entry->size;
            }
            Sum& sum = sums_[key];
            sum.minimum = sum.count == 0 ? size : std::min(sum.minimum, size);
            sum.cumulative = saturating_add(sum.cumulative, size);
            ++sum.count;
        }
    }

    template <class Visit>
    void walk_stacked(Node top, Visit visit) {
        stack_.assign(1, top);
        while (!stack_.empty()) {
            Node node = stack_.back();
            stack_.pop_back();
            for (Node child = present_.first(node); child != PathTable::kNone;
                 child = present_.next(child)) {
                stack_.push_back(child);
            }
            visit(node);
        }
    }

    uint64_t subtree_size(Node top) {
        uint64_t total = 0;
        walk_stacked(top, [&](Node node) { total = saturating_add(total, stacked_[node].size); });
        return total;
    }

    void remove_whiteouts() {
        for (Node node : tree_) {
            if (!is_whiteout(node)) {
                continue;
            }
            Node target = whiteout_target(node);
            if (stacked_[target].exists) {
                walk_stacked(target, [&](Node gone) {
                    stacked_[gone].exists = false;
                    present_.erase(gone);
                });
            }
        }
    }

    // dive's Stack(): every node of the layer's tree replaces the stacked payload, so an
    // implicit parent resets a directory to "not a directory, size 0". Whiteout nodes stay
    // only in the copy of layer 0 that dive starts from.
    void add_tree(const Layer& layer, bool keep_whiteouts) {
        for (Node node : tree_) {
            if (is_whiteout(node) && !keep_whiteouts) {
                continue;
            }
            const Entry* entry = payload(layer, node);
            stacked_[node] = {entry != nullptr ? entry->size : 0, true,
                              entry != nullptr && entry->type == EntryType::Directory};
            present_.insert(node);
        }
    }

    const std::vector<const Layer*>& layers_;
    PathTable& paths_;
    // Per node, its children that exist in the stacked tree (see LiveChildren).
    LiveChildren present_;
    std::vector<uint32_t> in_layer_;
    std::vector<uint32_t> has_child_;
    std::vector<uint32_t> payload_;
    std::vector<Stacked> stacked_;
    std::vector<Sum> sums_;
    std::vector<Node> tree_;
    std::vector<Node> chain_;
    std::vector<Node> stack_;
    uint32_t stamp_ = 0;
};

}  // namespace

DiveResult dive_efficiency(const std::vector<const Layer*>& layers, PathTable& paths) {
    return DiveModel(layers, paths).run();
}

}  // namespace hale::image
