#include "sidecar/prometheus.hpp"

#include <cstdio>

#include "build_info.hpp"

namespace hale::sidecar {
namespace {

// Label values escape backslash, double quote and newline, as the format requires.
std::string label_value(std::string_view text) {
    std::string escaped;
    for (char c : text) {
        if (c == '\\' || c == '"') {
            escaped += '\\';
            escaped += c;
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

std::string seconds(std::chrono::milliseconds ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ms.count()) / 1000.0);
    return text;
}

}  // namespace

std::string render_metrics(const HealthView& view) {
    static const std::vector<ProbeStatus> kNoProbes;
    const auto& probes = view.probes ? view.probes->probes : kNoProbes;
    std::string out;
    auto labels = [](const ProbeStatus& status) {
        return "{probe=\"" + label_value(status.name) + "\",kind=\"" + kind_name(status.kind) +
               "\"}";
    };

    family(out, "hale_probe_up", "gauge",
           "Whether the probe passes after its thresholds (1) or not (0).");
    for (const auto& status : probes) {
        out += "hale_probe_up" + labels(status) +
               (status.verdict == Verdict::Passing ? " 1\n" : " 0\n");
    }
    family(out, "hale_probe_latency_seconds", "gauge", "Duration of the probe's latest attempt.");
    for (const auto& status : probes) {
        out += "hale_probe_latency_seconds" + labels(status) + " " + seconds(status.last_latency) +
               "\n";
    }
    family(out, "hale_probe_attempts_total", "counter", "Attempts of the probe since start.");
    for (const auto& status : probes) {
        out += "hale_probe_attempts_total" + labels(status) + " " +
               std::to_string(status.attempts) + "\n";
    }
    family(out, "hale_probe_failures_total", "counter",
           "Failed attempts of the probe since start.");
    for (const auto& status : probes) {
        out += "hale_probe_failures_total" + labels(status) + " " +
               std::to_string(status.failures) + "\n";
    }

    family(out, "hale_ready", "gauge", "Whether /readyz answers 200 (1) or 503 (0).");
    out += all_ok(readiness_checks(view)) ? "hale_ready 1\n" : "hale_ready 0\n";
    family(out, "hale_live", "gauge", "Whether /livez answers 200 (1) or 503 (0).");
    out += all_ok(liveness_checks(view)) ? "hale_live 1\n" : "hale_live 0\n";
    family(out, "hale_draining", "gauge", "Whether hale is draining before it exits.");
    out += view.draining ? "hale_draining 1\n" : "hale_draining 0\n";

    family(out, "hale_build_info", "gauge", "Build of the running hale; always 1.");
    out += "hale_build_info{version=\"" + label_value(build::kVersion) + "\",revision=\"" +
           label_value(build::kRevision) + "\",compiler=\"" + label_value(build::kCompiler) +
           "\"} 1\n";
    return out;
}

std::string render_hardening_metrics(const std::vector<probes::hardening::Finding>& findings) {
    std::string out;
    family(out, "hale_hardening_check", "gauge",
           "Hardening checks of this container (hale about); the status label is the verdict.");
    for (const auto& finding : findings) {
        out += "hale_hardening_check{check=\"" + label_value(finding.id) + "\",status=\"" +
               std::string(probes::hardening::to_string(finding.status)) + "\"} 1\n";
    }
    return out;
}

std::string render_image_metrics(const ImageInfo& image) {
    const auto& fields = image.provenance.fields;
    auto value = [&](std::string_view field) {
        auto found = fields.find(field);
        return found == fields.end() ? std::string() : label_value(found->second.value);
    };
    std::string out;
    family(out, "hale_image_build_info", "gauge",
           "Provenance of the image hale runs in (hale about's image section); always 1.");
    out += "hale_image_build_info{revision=\"" + value("revision") + "\",version=\"" +
           value("version") + "\"} 1\n";
    return out;
}

}  // namespace hale::sidecar
