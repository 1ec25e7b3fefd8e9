#include "sidecar/image_info.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "build_info.hpp"
#include "probes/text.hpp"
#include "sidecar/inspect_render.hpp"

namespace hale::sidecar {
namespace {

namespace provenance = probes::provenance;
using json = nlohmann::ordered_json;
using probes::hardening::join_path;

constexpr size_t kCommandWidth = 64;
constexpr size_t kTextLayers = 40;
constexpr size_t kValueWidth = 44;
// The longest field name, documentation, and a space.
constexpr size_t kFieldWidth = 14;

json nullable(const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
}

template <class T>
json optional_json(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

json provenance_json(const provenance::Fields& fields) {
    json out = json::object();
    for (const auto& key : provenance::keys()) {
        auto found = fields.find(key.field);
        if (found != fields.end()) {
            json& field = out[std::string(key.field)];
            field["value"] = found->second.value;
            field["source"] = found->second.source;
        }
    }
    return out;
}

json pod_json(const provenance::Pod& pod) {
    if (pod.empty()) {
        return nullptr;
    }
    json out = json::object();
    out["name"] = nullable(pod.name);
    out["namespace"] = nullable(pod.namespace_name);
    out["uid"] = nullable(pod.uid);
    out["node"] = nullable(pod.node);
    json& labels = out["labels"] = json::object();
    for (const auto& [key, value] : pod.labels) {
        labels[key] = value;
    }
    out["sources"] = pod.sources;
    return out;
}

// Written member by member: nlohmann's initializer lists cost several KiB of code each.
json layer_json(const provenance::LayerEntry& layer) {
    json out = json::object();
    out["index"] = layer.index;
    out["diff_id"] = nullable(layer.diff_id);
    out["size_bytes"] = optional_json(layer.size_bytes);
    out["compressed_bytes"] = optional_json(layer.compressed_bytes);
    out["files"] = optional_json(layer.files);
    out["command"] = nullable(layer.command);
    out["created"] = nullable(layer.created);
    return out;
}

json ghost_json(const provenance::LayerGhost& ghost) {
    json out = json::object();
    out["path"] = ghost.path;
    out["layers"] = json::array({ghost.from_layer, ghost.to_layer});
    out["wasted"] = ghost.wasted;
    out["reason"] = ghost.reason;
    out["hint"] = ghost.hint;
    return out;
}

json finding_json(const std::string& id, const std::string& severity, const std::string& message) {
    json out = json::object();
    out["id"] = id;
    out["severity"] = severity;
    out["message"] = message;
    return out;
}

json layers_json(const std::optional<provenance::LayerReport>& report,
                 const provenance::MatchVerdict& match) {
    if (!report) {
        return nullptr;
    }
    json out = json::object();
    out["source"] = "file:" + report->path;
    out["generated_by"] = nullable(report->generated_by);
    out["describes"] = nullable(report->config_digest);
    out["running_image"] = provenance::match_name(match.match);
    out["running_image_detail"] = match.detail;
    out["reference"] = nullable(report->reference);
    out["platform"] = nullable(report->platform);
    out["created"] = nullable(report->created);
    out["user"] = nullable(report->user);
    out["runs_as_root"] = optional_json(report->runs_as_root);
    out["shell"] = optional_json(report->shell);
    out["layer_count"] = report->layers.size();
    out["total_bytes"] = optional_json(report->total_bytes);
    out["compressed_bytes"] = optional_json(report->compressed_bytes);
    out["final_bytes"] = optional_json(report->final_bytes);
    out["wasted_bytes"] = optional_json(report->wasted_bytes);
    out["dive_wasted_bytes"] = optional_json(report->dive_wasted_bytes);
    out["efficiency"] = optional_json(report->efficiency);
    out["score"] = optional_json(report->score);
    json& layers = out["layers"] = json::array();
    for (const auto& layer : report->layers) {
        layers.push_back(layer_json(layer));
    }
    json& ghosts = out["ghosts"] = json::array();
    for (const auto& ghost : report->ghosts) {
        ghosts.push_back(ghost_json(ghost));
    }
    json& findings = out["findings"] = json::array();
    for (const auto& finding : report->findings) {
        findings.push_back(finding_json(finding.id, finding.severity, finding.message));
    }
    json& gates = out["gates"] = json::object();
    gates["result"] = nullable(report->gates_result);
    gates["failed"] = report->gates_failed;
    return out;
}

json docker_json(const std::optional<DockerFacts>& docker) {
    if (!docker) {
        return nullptr;
    }
    json out = json::object();
    out["socket"] = docker->socket;
    out["reached"] = docker->reached;
    json& container = out["container"] = nullptr;
    if (docker->container) {
        container["id"] = docker->container->id;
        container["found_by"] = docker->container->from;
        container["name"] = nullable(docker->container_name);
    }
    json& image = out["image"] = nullptr;
    if (!docker->image.id.empty()) {
        image["id"] = docker->image.id;
        image["name"] = nullable(docker->image_name);
        image["repo_tags"] = docker->repo_tags;
        image["repo_digests"] = docker->repo_digests;
        image["layer_count"] = docker->image.diff_ids.size();
    }
    json& history = out["history"] = json::array();
    for (const auto& entry : docker->history) {
        json item = json::object();
        item["created"] = entry.created;
        item["created_by"] = entry.created_by;
        item["size"] = entry.size;
        history.push_back(std::move(item));
    }
    return out;
}

// "RUN apt-get install ...", without the builder's "/bin/sh -c" and "#(nop)" noise.
std::string command_text(std::string_view text) {
    for (std::string_view prefix : {"/bin/sh -c ", "#(nop) ", " "}) {
        while (text.starts_with(prefix)) {
            text.remove_prefix(prefix.size());
        }
    }
    std::string out = probes::printable(text);
    if (out.size() > kCommandWidth) {
        out = out.substr(0, kCommandWidth - 3) + "...";
    }
    return out.empty() ? "(no command recorded)" : out;
}

std::string percent(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", 100 * ratio);
    return text;
}

std::string short_digest(const std::string& digest) {
    return digest.size() > 19 ? digest.substr(0, 19) : digest;
}

void append_layers_text(std::string& out,
                        const provenance::LayerReport& report,
                        const provenance::MatchVerdict& match) {
    out += "image layers (hale inspect report " + probes::printable(report.path) + "):\n";
    std::string totals = "  " + std::to_string(report.layers.size()) + " layers";
    if (report.total_bytes) {
        totals += ", " + human_bytes(*report.total_bytes);
    }
    if (report.wasted_bytes) {
        totals += ", " + human_bytes(*report.wasted_bytes) + " wasted";
    }
    if (report.efficiency) {
        totals += ", efficiency " + percent(*report.efficiency);
    }
    if (report.score) {
        totals += ", score " + std::to_string(*report.score);
    }
    out += totals + "\n";
    out += "  describes " +
           (report.config_digest.empty() ? std::string("an unnamed image")
                                         : short_digest(report.config_digest)) +
           "; running image: " + provenance::match_name(match.match) + " (" +
           probes::printable(match.detail) + ")\n";
    for (size_t i = 0; i < report.layers.size() && i < kTextLayers; ++i) {
        const auto& layer = report.layers[i];
        char head[64];
        std::snprintf(head, sizeof head, "  #%-3llu %9s  ",
                      static_cast<unsigned long long>(layer.index),
                      layer.size_bytes ? human_bytes(*layer.size_bytes).c_str() : "?");
        out += head + command_text(layer.command) + "\n";
    }
    if (report.layers.size() > kTextLayers) {
        out += "  ... " + std::to_string(report.layers.size() - kTextLayers) + " more layers\n";
    }
    for (const auto& ghost : report.ghosts) {
        out += "  ghost " + probes::printable(ghost.path) + " " + human_bytes(ghost.wasted) +
               " (layers " + std::to_string(ghost.from_layer) + "-" +
               std::to_string(ghost.to_layer) + "): " + probes::printable(ghost.reason) + "; " +
               probes::printable(ghost.hint) + "\n";
    }
}

}  // namespace

void add_image_options(CLI::App& app, ImageSources& sources) {
    app.add_option("--image-file", sources.image_file,
                   "provenance file hale stamp wrote (default /etc/hale/image.json)")
        ->envname("HALE_IMAGE_FILE");
    app.add_option("--layers-file", sources.layers_file,
                   "layer report hale inspect --report wrote (default /etc/hale/layers.json)")
        ->envname("HALE_LAYERS_FILE");
    app.add_option("--podinfo", sources.podinfo_dir,
                   "Kubernetes Downward API volume (default /etc/podinfo)")
        ->envname("HALE_PODINFO_DIR");
    app.add_flag("--docker-api", sources.docker_api,
                 "ask the Docker Engine API about this container's image (DOCKER_HOST or "
                 "/var/run/docker.sock; root-equivalent, development only)")
        ->envname("HALE_DOCKER_API");
}

ImageInfo collect_image_info(const ImageSources& sources,
                             const probes::hardening::Roots& roots,
                             const probes::EnvLookup& env) {
    ImageInfo info;
    auto or_default = [&](const std::string& given, const char* under_etc) {
        return given.empty() ? join_path(roots.etc, under_etc) : given;
    };

    // The sources above hale's own build, in increasing precedence.
    std::vector<provenance::Reading> readings;
    readings.push_back(provenance::read_image_file(
        or_default(sources.image_file, "hale/image.json"), !sources.image_file.empty()));
    readings.push_back(provenance::read_env(env));
    auto downward = provenance::read_downward_api(or_default(sources.podinfo_dir, "podinfo"),
                                                  !sources.podinfo_dir.empty(), env);
    info.pod = std::move(downward.pod);
    readings.push_back(std::move(downward.image));

    // The Docker Engine API, only when asked for, and then flagged.
    if (sources.docker_api) {
        auto socket = docker_socket_path(env);
        if (socket) {
            info.docker = read_docker_api(*socket, roots);
            readings.push_back(info.docker->labels);
            if (info.docker->reached) {
                info.findings.push_back(
                    {"docker-api", "critical",
                     "hale read the Docker Engine API at " + *socket +
                         ": whoever can use this socket is root on the host; mount it for "
                         "development only, or behind a read-only filtering proxy"});
            }
        } else {
            readings.push_back(provenance::Reading{{}, {socket.error()}});
        }
    }

    // Merged over hale's own build.
    auto build = provenance::build_reading(build::kVersion, build::kRevision, build::kBuildTime);
    info.provenance = provenance::merge(build, readings);
    info.warnings = info.provenance.warnings;

    // The layer report, and whether it describes the running image.
    auto layers = provenance::read_layer_report(or_default(sources.layers_file, "hale/layers.json"),
                                                !sources.layers_file.empty());
    info.warnings.insert(info.warnings.end(), layers.warnings.begin(), layers.warnings.end());
    info.layers = std::move(layers.report);
    if (info.layers) {
        const provenance::RunningImage* running =
            info.docker && !info.docker->image.id.empty() ? &info.docker->image : nullptr;
        info.layers_match = provenance::match_running_image(*info.layers, running);
    }
    return info;
}

json image_json(const ImageInfo& image) {
    json out = json::object();
    out["provenance"] = provenance_json(image.provenance.fields);
    out["pod"] = pod_json(image.pod);
    out["layers"] = layers_json(image.layers, image.layers_match);
    out["docker"] = docker_json(image.docker);
    out["warnings"] = image.warnings;
    json& findings = out["findings"] = json::array();
    for (const auto& finding : image.findings) {
        findings.push_back(finding_json(finding.id, finding.severity, finding.message));
    }
    return out;
}

std::string image_summary_line(const ImageInfo& image) {
    const auto& fields = image.provenance.fields;
    auto value = [&](const char* field) {
        auto found = fields.find(std::string_view(field));
        return found == fields.end() ? std::string() : probes::printable(found->second.value);
    };
    std::string line = value("title").empty() ? "unnamed image" : value("title");
    if (!value("version").empty()) {
        line += " " + value("version");
    }
    line += ", revision " + (value("revision").empty() ? "unknown" : value("revision"));
    if (!value("created").empty()) {
        line += ", created " + value("created");
    }
    if (image.provenance.build_only) {
        line += " (hale's own build: no image provenance given)";
    }
    return line;
}

std::string image_text(const ImageInfo& image) {
    // Values in one column, sources in the next (long values push their source out).
    const auto& fields = image.provenance.fields;
    size_t width = 0;
    for (const auto& [field, value] : fields) {
        width = std::max(width, std::min(value.value.size(), kValueWidth));
    }
    std::string out = "image provenance (value, then where it came from):\n";
    if (fields.empty()) {
        out += "  none\n";
    }
    for (const auto& key : provenance::keys()) {
        auto found = fields.find(key.field);
        if (found == fields.end()) {
            continue;
        }
        std::string value = probes::printable(found->second.value);
        value.resize(std::max(value.size(), width), ' ');
        out += "  " + std::string(key.field) + std::string(kFieldWidth - key.field.size(), ' ') +
               value + "  " + probes::printable(found->second.source) + "\n";
    }

    if (image.layers) {
        append_layers_text(out, *image.layers, image.layers_match);
    }
    if (!image.pod.empty()) {
        const auto& pod = image.pod;
        out += "pod: " + probes::printable(pod.namespace_name.empty() ? "?" : pod.namespace_name) +
               "/" + probes::printable(pod.name.empty() ? "?" : pod.name);
        if (!pod.node.empty()) {
            out += " on node " + probes::printable(pod.node);
        }
        out += ", " + std::to_string(pod.labels.size()) + " labels\n";
    }
    if (image.docker && image.docker->reached) {
        const auto& docker = *image.docker;
        out += "docker api: container " +
               (docker.container ? docker.container->id.substr(0, 12) : std::string("?")) + " " +
               probes::printable(docker.container_name) + ", image " +
               short_digest(docker.image.id) + " " + probes::printable(docker.image_name) + ", " +
               std::to_string(docker.image.diff_ids.size()) + " layers\n";
    }
    for (const auto& finding : image.findings) {
        out += "CRITICAL " + finding.id + ": " + probes::printable(finding.message) + "\n";
    }
    for (const auto& warning : image.warnings) {
        out += "  warning: " + probes::printable(warning) + "\n";
    }
    return out;
}

}  // namespace hale::sidecar
