// The layer report `hale inspect --report` writes (schema "hale.inspect.report/v1"), read back
// where hale serve shows it on /about: baked into the image by a last build step, or mounted
// (a Docker volume, a Kubernetes ConfigMap). The file is untrusted input: it is size-capped and
// every member type-checked; a wrong member is left out with a warning, and a file of another
// schema is not served at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hale::probes::provenance {

inline constexpr std::string_view kLayerReportSchema = "hale.inspect.report/v1";
inline constexpr size_t kLayerReportCap = size_t{1} << 20;

struct LayerEntry {
    uint64_t index = 0;
    std::string diff_id;
    std::optional<uint64_t> size_bytes;
    std::optional<uint64_t> compressed_bytes;
    std::optional<uint64_t> files;
    std::string command;  // the history's created_by, cut at 1024 bytes
    std::string created;
};

struct LayerGhost {
    std::string path;
    uint64_t from_layer = 0;
    uint64_t to_layer = 0;
    uint64_t wasted = 0;
    std::string reason;
    std::string hint;
};

struct LayerFinding {
    std::string id;
    std::string severity;
    std::string message;
};

struct LayerReport {
    std::string path;  // where it was read
    std::string generated_by;
    std::string reference;
    std::string platform;
    std::string config_digest;  // "sha256:<64 hex>": the image the report describes, or ""
    std::string created;
    std::string user;
    std::optional<bool> runs_as_root;
    std::optional<bool> shell;
    std::optional<uint64_t> total_bytes;
    std::optional<uint64_t> compressed_bytes;
    std::optional<uint64_t> final_bytes;
    std::optional<uint64_t> wasted_bytes;
    std::optional<uint64_t> dive_wasted_bytes;
    std::optional<double> efficiency;
    std::optional<int64_t> score;
    std::vector<LayerEntry> layers;
    std::vector<LayerGhost> ghosts;
    std::vector<LayerFinding> findings;
    std::string gates_result;  // "pass", "fail" or ""
    std::vector<std::string> gates_failed;
};

struct LayerReading {
    std::optional<LayerReport> report;
    std::vector<std::string> warnings;
};

// The report at PATH; no report and no warning when the file is absent and its path was not
// given explicitly.
LayerReading read_layer_report(const std::string& path, bool explicit_path);

// The image a container runs, as the Docker Engine API tells it.
struct RunningImage {
    std::string id;                     // "sha256:..."
    std::vector<std::string> diff_ids;  // RootFS.Layers, bottom first
};

enum class ImageMatch {
    Unknown,    // the running image is not known (no Docker API)
    Same,       // the report describes the running image
    Below,      // the report describes the layers below the running image's top ones: the
                // report was added by a later build step (`FROM app` + `COPY layers.json`)
    Different,  // another image
};

struct MatchVerdict {
    ImageMatch match = ImageMatch::Unknown;
    std::string detail;  // one line saying why
};

// "same", "below", "different", or "unknown".
const char* match_name(ImageMatch match);

MatchVerdict match_running_image(const LayerReport& report, const RunningImage* running);

}  // namespace hale::probes::provenance
