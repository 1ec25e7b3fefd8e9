// For each node of a PathTable, the list of its children that are currently in a set (shown in
// the final filesystem, present in dive's stacked tree). A PathTable lists every child a name
// ever had in any layer; walking only the live ones makes hiding a directory cost what it
// hides, however many names below it are hidden already. Without it, a layer that hides the
// same large directory again and again costs the directory's size each time.
#pragma once

#include <vector>

#include "image/path_table.hpp"

namespace hale::image {

class LiveChildren {
public:
    using Node = PathTable::Node;

    explicit LiveChildren(const PathTable& paths)
        : paths_(paths),
          first_(paths.size(), PathTable::kNone),
          next_(paths.size(), PathTable::kNone),
          previous_(paths.size(), PathTable::kNone),
          live_(paths.size(), false) {}

    bool contains(Node node) const { return live_[node]; }
    Node first(Node parent) const { return first_[parent]; }
    Node next(Node child) const { return next_[child]; }

    // Adds `node` to its parent's list; nothing when it is there already or is the root.
    void insert(Node node) {
        if (live_[node] || node == PathTable::kRoot) {
            return;
        }
        live_[node] = true;
        Node parent = paths_.parent(node);
        previous_[node] = PathTable::kNone;
        next_[node] = first_[parent];
        if (first_[parent] != PathTable::kNone) {
            previous_[first_[parent]] = node;
        }
        first_[parent] = node;
    }

    // Takes `node` out of its parent's list; its own list stays as it is.
    void erase(Node node) {
        if (!live_[node]) {
            return;
        }
        live_[node] = false;
        if (previous_[node] != PathTable::kNone) {
            next_[previous_[node]] = next_[node];
        } else {
            first_[paths_.parent(node)] = next_[node];
        }
        if (next_[node] != PathTable::kNone) {
            previous_[next_[node]] = previous_[node];
        }
    }

private:
    const PathTable& paths_;
    std::vector<Node> first_;
    std::vector<Node> next_;
    std::vector<Node> previous_;
    std::vector<bool> live_;
};

}  // namespace hale::image
