// The `image` section of hale about and /about: what the image is (provenance, each value with
// the source it came from), the pod it runs in, how it was built (the layer report of
// `hale inspect --report`) and, when enabled, what the Docker Engine API says about it.
//
// Sources and their defaults (under DIR for `hale about --root DIR`):
//   --image-file   HALE_IMAGE_FILE   /etc/hale/image.json   baked by hale stamp
//   --layers-file  HALE_LAYERS_FILE  /etc/hale/layers.json  written by hale inspect --report
//   --podinfo      HALE_PODINFO_DIR  /etc/podinfo           a Downward API volume
//   --docker-api   HALE_DOCKER_API   off                    the engine's socket (DOCKER_HOST)
// plus OCI_IMAGE_* and POD_NAME, POD_NAMESPACE, POD_UID, NODE_NAME from the environment.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "probes/expand.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/provenance/downward_api.hpp"
#include "probes/provenance/layer_report.hpp"
#include "probes/provenance/provenance.hpp"
#include "sidecar/docker_api.hpp"

// CLI11's own namespace, declared here to keep its large header out of every includer.
namespace CLI {  // NOLINT(readability-identifier-naming)
class App;
}  // namespace CLI

namespace hale::sidecar {

// Where to look; an empty path means the default under the roots' /etc.
struct ImageSources {
    std::string image_file;
    std::string layers_file;
    std::string podinfo_dir;
    bool docker_api = false;
};

// Adds --image-file, --layers-file, --podinfo and --docker-api with their HALE_* variables.
void add_image_options(CLI::App& app, ImageSources& sources);

struct ImageFinding {
    std::string id;
    std::string severity;  // "critical"
    std::string message;
};

struct ImageInfo {
    probes::provenance::Provenance provenance;
    probes::provenance::Pod pod;
    std::optional<DockerFacts> docker;  // when --docker-api
    std::optional<probes::provenance::LayerReport> layers;
    probes::provenance::MatchVerdict layers_match;
    std::vector<std::string> warnings;  // every source's, in merge order, then the layers'
    std::vector<ImageFinding> findings;
};

// Reads every source: files under ROOTS unless SOURCES names them, variables from ENV.
ImageInfo collect_image_info(const ImageSources& sources,
                             const probes::hardening::Roots& roots,
                             const probes::EnvLookup& env);

// {provenance, pod, layers, docker, warnings, findings}.
nlohmann::ordered_json image_json(const ImageInfo& image);

// The readable block of hale about: the provenance fields with their sources, the layers,
// the pod, warnings and findings. Control characters are shown as '?'.
std::string image_text(const ImageInfo& image);

// One line for the report's header: "python-app 1.4.2, revision 4f2c1e9, created ...".
std::string image_summary_line(const ImageInfo& image);

}  // namespace hale::sidecar
