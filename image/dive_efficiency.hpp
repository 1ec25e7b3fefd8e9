// dive's layer accounting (wagoodman/dive filetree/efficiency.go and image/analysis.go), kept
// so that `efficiency` and `dive_wasted_bytes` compare one to one with what dive prints. Its
// quirks are kept on purpose: opaque whiteouts are ignored, directories that are leaves of a
// layer count with size 0, and a deleted directory is sized from the stacked tree, whose
// implicit parents carry no directory flag. One is fixed: a whiteout of a path that no lower
// layer has counts 0 bytes instead of aborting the rest of the layer and adding -1.
#pragma once

#include <cstdint>
#include <vector>

#include "image/layer.hpp"
#include "image/path_table.hpp"

namespace hale::image {

struct DiveInefficiency {
    PathTable::Node node;
    uint32_t count;       // layers in which the path is a leaf
    uint64_t cumulative;  // dive's "cum": the sum of its sizes in those layers
    uint64_t minimum;     // dive's "min"
};

struct DiveResult {
    double efficiency = 1.0;  // minimum / total, 1 when total is 0
    uint64_t total = 0;
    uint64_t minimum = 0;
    uint64_t wasted_bytes = 0;  // the sum of `cumulative` over the inefficiencies
    // Paths seen in two or more layers, largest cumulative size first (ties by path).
    std::vector<DiveInefficiency> inefficiencies;
    std::vector<uint64_t> tree_nodes;  // nodes of each layer's own tree, implicit dirs included
};

// `layers` in image order; a blob may appear more than once.
DiveResult dive_efficiency(const std::vector<const Layer*>& layers, PathTable& paths);

}  // namespace hale::image
