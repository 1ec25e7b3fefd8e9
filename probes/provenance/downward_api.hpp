// The Kubernetes Downward API as a container sees it: a volume of files (name, namespace, uid,
// labels, annotations; the kubelet writes labels and annotations one `key="value"` per line,
// the value quoted as Go's %q does) and environment variables set from fieldRefs (POD_NAME,
// POD_NAMESPACE, POD_UID, NODE_NAME). There is no field for the image: a deployer who wants
// its provenance copies it into pod annotations named org.opencontainers.image.*, which
// override the image's own values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/expand.hpp"
#include "probes/provenance/provenance.hpp"

namespace hale::probes::provenance {

// The annotations file may hold up to Kubernetes' 256 KiB total of annotations.
inline constexpr size_t kPodinfoFileCap = size_t{256} * 1024;

struct Pod {
    std::string name;
    std::string namespace_name;
    std::string uid;
    std::string node;
    Labels labels;                     // as the labels file lists them, sorted by key
    std::vector<std::string> sources;  // "downward-api:/etc/podinfo/name", "env:NODE_NAME"

    bool empty() const { return sources.empty(); }
};

struct DownwardApi {
    Pod pod;
    Reading image;  // org.opencontainers.image.* annotations; other annotations are not kept
};

struct PodinfoMap {
    Labels entries;
    std::vector<std::string> bad_lines;  // one warning per line that is not key="value"
};

// Parses the labels or annotations file; PATH names it in warnings.
//   app="web"                           -> app = web
//   note="line\nnext \"quoted\" \u00e9" -> note = line<LF>next "quoted" é
//   garbage                             -> a warning naming the line number
PodinfoMap parse_podinfo_map(std::string_view text, const std::string& path);

// The files under DIR (a missing directory is a warning only when EXPLICIT_DIR), then the
// variables of ENV, which win over the files.
DownwardApi read_downward_api(const std::string& dir, bool explicit_dir, const EnvLookup& env);

}  // namespace hale::probes::provenance
