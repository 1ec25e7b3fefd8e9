#include "sidecar/prometheus.hpp"

#include <cstdio>

#include "build_info.hpp"

namespace hale::sidecar {
namespace {

// The length of the well-formed UTF-8 sequence at the start of TEXT, or 0 when it is not one
// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, cut short).
size_t utf8_sequence(std::string_view text) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(0);
    if (lead < 0x80) {
        return 1;
    }
    size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                    : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                   : 0;
    if (length == 0 || text.size() < length) {
        return 0;
    }
    for (size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) {
            return 0;
        }
    }
    unsigned char second = byte(1);
    bool overlong_or_surrogate = (lead == 0xE0 && second < 0xA0) ||
                                 (lead == 0xED && second > 0x9F) ||
                                 (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F);
    return overlong_or_surrogate ? 0 : length;
}

// Label values escape backslash, double quote and newline, as the format requires, and must be
// UTF-8: Prometheus drops the whole scrape over one bad byte, and provenance values come from
// environment variables and pod annotations. A bad byte becomes U+FFFD.
std::string label_value(std::string_view text) {
    std::string escaped;
    while (!text.empty()) {
        size_t length = utf8_sequence(text);
        char c = text.front();
        if (length == 0) {
            escaped += "\xEF\xBF\xBD";
            length = 1;
        } else if (c == '\\' || c == '"') {
            escaped += '\\';
            escaped += c;
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped.append(text.substr(0, length));
        }
        text.remove_prefix(length);
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
    // hale's own build stands in when no source describes the image; the labels say nothing
    // then rather than pass hale's revision off as the app's.
    auto value = [&](std::string_view field) {
        if (image.provenance.build_only) {
            return std::string();
        }
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
