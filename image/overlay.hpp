// hale's own accounting: layers stacked as the OCI image spec says (whiteouts and opaque
// whiteouts hide lower layers only, a non-directory replaces a directory, hard links share
// their content), giving the final filesystem, the bytes shipped that it does not show, which
// path caused them, and the ghost files: later copies with identical content where only owner,
// mode, time or extended attributes changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "image/layer.hpp"
#include "image/live_children.hpp"
#include "image/path_table.hpp"

namespace hale::image {

enum class WasteClass { Ghost, Overwritten, Deleted };
const char* waste_class_name(WasteClass kind);

struct Ghost {
    PathTable::Node node;
    uint32_t from_layer;
    uint32_t to_layer;
    uint64_t bytes;
    const Entry* before;
    const Entry* after;
    // Names of extended attributes that differ.
    std::vector<std::string> xattrs_changed;
};

struct WastedPath {
    PathTable::Node node;
    WasteClass kind;
    uint32_t copies;               // layers that shipped the path (or files below it)
    std::vector<uint32_t> layers;  // those layers, the one of the copy kept included
    uint32_t removed_in;           // layer whose whiteout removed it; UINT32_MAX when none
    uint64_t bytes;                // shipped but not shown by the final filesystem
    uint64_t files;                // hidden file versions behind `bytes`
};

class Overlay {
public:
    static constexpr uint32_t kNotRemoved = UINT32_MAX;

    // `layers` in image order (a blob may appear twice); `paths` is the table they refer to.
    Overlay(const std::vector<const Layer*>& layers, const PathTable& paths);

    uint64_t shipped_bytes() const { return shipped_; }
    uint64_t wasted_bytes() const { return wasted_; }
    // Largest first, ties by path.
    const std::vector<WastedPath>& wasted_paths() const { return wasted_paths_; }
    const std::vector<Ghost>& ghosts() const { return ghosts_; }
    const std::vector<std::string>& warnings() const { return warnings_; }

    // The final filesystem.
    const PathTable& paths() const { return paths_; }
    bool visible(PathTable::Node node) const;
    // The entry shown at `node`; nullptr when hidden or an implicit directory.
    const Entry* entry(PathTable::Node node) const;
    uint32_t layer_of(PathTable::Node node) const;
    // A symlink's target text.
    std::string_view symlink_target(PathTable::Node node) const;
    // The text of a small file kept while reading (/etc/passwd), or nullptr.
    const std::string* captured_text(PathTable::Node node) const;
    // Follows symlinks in every component, as path lookup in the container would (at most 40
    // links); kNone when the path does not exist.
    PathTable::Node resolve(std::string_view path) const;
    // Visible regular-file bytes and files at or below `node`.
    std::pair<uint64_t, uint64_t> usage_below(PathTable::Node node) const;
    // Calls visit(node, entry) for every visible entry.
    template <class Visit>
    void for_each_visible(Visit visit) const {
        for (PathTable::Node node = 0; node < visible_.size(); ++node) {
            if (const Entry* shown = entry(node)) {
                visit(node, *shown);
            }
        }
    }

private:
    using Node = PathTable::Node;
    using Gid = uint32_t;  // an entry of one layer position: base of the position + index

    struct Hidden {
        Node cause = PathTable::kNone;
        uint32_t layer = 0;
        WasteClass kind = WasteClass::Overwritten;
        bool hidden = false;
    };

    void apply(uint32_t position);
    void ensure_parents(Node node, uint32_t position);
    void hide(Gid gid, Node cause, uint32_t position, WasteClass kind);
    void hide_below(Node top, bool include_top, Node cause, uint32_t position, WasteClass kind);
    void show(Node node, Gid shown);
    void compare(Node node, Gid before, Gid after, uint32_t position);
    void resolve_hardlinks(uint32_t position);
    void account();

    uint32_t position_of(Gid gid) const;
    const Entry& entry_of(Gid gid) const;
    bool is_dir(Node node) const;

    const std::vector<const Layer*>& layers_;
    const PathTable& paths_;
    std::vector<Gid> bases_;
    std::vector<Gid> visible_;     // per node: a gid, kImplicitDir or kHidden
    LiveChildren shown_children_;  // per node, its children that are not hidden
    std::vector<Hidden> hidden_;
    std::vector<std::pair<Gid, Gid>> hardlinks_;  // (link, the file it shares content with)
    std::vector<Node> content_changed_;
    uint64_t shipped_ = 0;
    uint64_t wasted_ = 0;
    std::vector<WastedPath> wasted_paths_;
    std::vector<Ghost> ghosts_;
    std::vector<std::string> warnings_;
    std::vector<Node> stack_;
    std::vector<Node> opaque_;
};

}  // namespace hale::image
