#include "sidecar/inspect_render.hpp"

#include <cassert>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "build_info.hpp"
#include "probes/text.hpp"

namespace hale::sidecar {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kCommandWidth = 64;
constexpr size_t kReportGhosts = 10;

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string percent(double ratio) {
    return fixed(100 * ratio, 2) + " %";
}

// A history command as a person reads it: no "/bin/sh -c", "#(nop)" or "# buildkit".
std::string readable_command(const std::optional<std::string>& command) {
    if (!command) {
        return "(no history entry)";
    }
    std::string_view text = *command;
    for (std::string_view prefix : {"/bin/sh -c ", "#(nop) ", " "}) {
        while (text.starts_with(prefix)) {
            text.remove_prefix(prefix.size());
        }
    }
    while (text.ends_with(" ")) {
        text.remove_suffix(1);
    }
    if (text.ends_with(" # buildkit")) {
        text.remove_suffix(11);
    }
    std::string out(text);
    if (out.empty()) {
        return "(no command recorded)";
    }
    if (out.starts_with("RUN /bin/sh -c ")) {
        out = "RUN " + out.substr(15);
    }
    for (char& c : out) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
    }
    if (out.size() > kCommandWidth) {
        out = out.substr(0, kCommandWidth - 3) + "...";
    }
    return out;
}

std::string layer_list(const std::vector<uint32_t>& layers) {
    std::string text;
    for (uint32_t layer : layers) {
        text += (text.empty() ? "" : ",") + std::to_string(layer);
    }
    return text;
}

std::string short_digest(const std::string& digest) {
    return digest.size() > 19 ? digest.substr(0, 19) : digest;
}

void line(std::string& out, const char* pattern, ...) __attribute__((format(printf, 2, 3)));
void line(std::string& out, const char* pattern, ...) {
    char text[4096];
    va_list args;
    va_start(args, pattern);
    // clang-tidy 14 reports this va_list as uninitialized when it checks another file first in
    // the same run (as scripts/lint does); on its own it does not.
    std::vsnprintf(text, sizeof text, pattern, args);  // NOLINT(clang-analyzer-valist.*)
    va_end(args);
    // Names come from the archive: a newline or an escape sequence in one must not forge
    // report lines or drive the terminal. Only the pattern's leading newlines are kept.
    size_t leading = std::strspn(pattern, "\n");
    out.append(text, std::min(leading, std::strlen(text)));
    out += probes::printable(text + std::min(leading, std::strlen(text)));
    out += '\n';
}

void render_gates(std::string& out, const std::vector<image::GateResult>& gates) {
    if (gates.empty()) {
        return;
    }
    int pass = 0;
    int fail = 0;
    int skip = 0;
    line(out, "\nEvaluation:");
    for (const auto& gate : gates) {
        line(out, "  %s  %s (%s)", image::gate_status_name(gate.status), gate.name.c_str(),
             gate.message.c_str());
        pass += gate.status == image::GateStatus::Pass ? 1 : 0;
        fail += gate.status == image::GateStatus::Fail ? 1 : 0;
        skip += gate.status == image::GateStatus::Skip ? 1 : 0;
    }
    std::string tally;
    for (auto [name, count] : {std::pair{"pass", pass}, {"fail", fail}, {"skip", skip}}) {
        if (count > 0) {
            tally += (tally.empty() ? "" : " ") + std::string(name) + ":" + std::to_string(count);
        }
    }
    line(out, "\n%s [%s]", fail > 0 ? "FAIL" : "PASS", tally.c_str());
}

Json ghost_json(const image::GhostReport& ghost) {
    return Json{{"path", ghost.path},
                {"layers", {ghost.from_layer, ghost.to_layer}},
                {"wasted", ghost.bytes},
                {"reason", ghost.reason},
                {"hint", ghost.hint}};
}

Json optional_ratio(const std::optional<double>& ratio) {
    return ratio ? Json(*ratio) : Json(nullptr);
}

}  // namespace

std::string human_bytes(uint64_t bytes) {
    if (bytes < 10) {
        return std::to_string(bytes) + " B";
    }
    static const char* const kSizes[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    auto value = static_cast<double>(bytes);
    int exponent = static_cast<int>(std::floor(std::log(value) / std::log(1000.0)));
    double scaled = std::floor(value / std::pow(1000.0, exponent) * 10 + 0.5) / 10;
    std::string number = fixed(scaled, scaled < 10 ? 1 : 0);
    return number + " " + kSizes[exponent];
}

std::string render_text(const InspectOutcome& outcome, size_t top) {
    std::string out;
    assert(outcome.report);
    const image::ImageReport& r = *outcome.report;

    // Summary.
    line(out, "%s  (%s, %s)", r.source.c_str(), r.format.c_str(),
         r.compression == "none" ? "uncompressed" : (r.compression + "-compressed").c_str());
    line(out, "  image       %s %s  config %s",
         r.reference.empty() ? "(untagged)" : r.reference.c_str(), r.platform.c_str(),
         short_digest(r.config_digest).c_str());
    line(out, "  size        %s in %zu layers (%s stored); final filesystem %s",
         human_bytes(r.total_bytes).c_str(), r.layers.size(),
         human_bytes(r.compressed_bytes).c_str(), human_bytes(r.final_bytes).c_str());
    line(out, "  efficiency  %s (dive's formula)", percent(r.efficiency).c_str());
    line(out, "  wasted      %s shipped but not shown (dive counts %s)%s",
         human_bytes(r.wasted_bytes).c_str(), human_bytes(r.dive_wasted_bytes).c_str(),
         r.user_wasted_ratio ? (", " + percent(*r.user_wasted_ratio) + " of user bytes").c_str()
                             : "");
    line(out, "  user        %s%s; shell %s", r.user.empty() ? "(unset)" : r.user.c_str(),
         r.runs_as_root ? " (root)" : "", r.shells.empty() ? "none" : r.shells.front().c_str());
    line(out, "  score       %d/100", r.score);

    // Layers.
    line(out, "\nLayers");
    line(out, "  %3s  %-9s  %-9s  %7s  %s", "#", "size", "stored", "files", "command");
    for (const auto& layer : r.layers) {
        line(out, "  %3u  %-9s  %-9s  %7llu  %s", layer.index,
             human_bytes(layer.size_bytes).c_str(), human_bytes(layer.compressed_bytes).c_str(),
             static_cast<unsigned long long>(layer.files), readable_command(layer.command).c_str());
    }

    // Wasted paths, ghosts.
    if (!r.paths.empty()) {
        line(out, "\nWasted space (%zu of %zu paths)", std::min(top, r.paths.size()),
             r.paths.size());
        line(out, "  %-9s  %-11s  %6s  %-8s  %s", "bytes", "class", "copies", "layers", "path");
        for (size_t i = 0; i < r.paths.size() && i < top; ++i) {
            const auto& path = r.paths[i];
            std::string note;
            if (path.removed_in) {
                note = "  (removed in layer " + std::to_string(*path.removed_in) +
                       (path.files > 1 ? ", " + std::to_string(path.files) + " files" : "") + ")";
            }
            line(out, "  %-9s  %-11s  %6u  %-8s  %s%s", human_bytes(path.bytes).c_str(),
                 path.kind.c_str(), path.copies, layer_list(path.layers).c_str(), path.path.c_str(),
                 note.c_str());
        }
    }
    if (!r.ghosts.empty()) {
        line(out, "\nGhost files: the same bytes written again for a metadata change");
        for (size_t i = 0; i < r.ghosts.size() && i < top; ++i) {
            const auto& ghost = r.ghosts[i];
            line(out, "  %s  %s  layer %u -> %u  %s", ghost.path.c_str(),
                 human_bytes(ghost.bytes).c_str(), ghost.from_layer, ghost.to_layer,
                 ghost.reason.c_str());
            line(out, "      fix: %s", ghost.hint.c_str());
        }
        if (r.ghosts.size() > top) {
            line(out, "  ... and %zu more (--top, --json)", r.ghosts.size() - top);
        }
    }

    // Findings and warnings.
    if (!r.findings.empty()) {
        line(out, "\nFindings");
        for (const auto& finding : r.findings) {
            line(out, "  %-6s  %-24s %s", image::severity_name(finding.severity),
                 finding.id.c_str(), finding.message.c_str());
            for (size_t i = 0; i < finding.paths.size() && i < 5; ++i) {
                line(out, "          %-24s %s", "", finding.paths[i].c_str());
            }
            if (finding.paths.size() > 5) {
                line(out, "          %-24s ... (--json lists up to 20)", "");
            }
            line(out, "          %-24s fix: %s", "", finding.fix.c_str());
        }
    }
    if (!r.skipped.empty() || r.attestation_manifests > 0) {
        line(out, "\nIndex");
        for (const auto& skipped : r.skipped) {
            line(out, "  skipped %s %s: %s", skipped.platform.c_str(),
                 short_digest(skipped.digest).c_str(), skipped.reason.c_str());
        }
        if (r.attestation_manifests > 0) {
            line(out, "  %d attestation manifests skipped", r.attestation_manifests);
        }
    }
    if (!r.warnings.empty()) {
        line(out, "\nWarnings");
        for (const auto& warning : r.warnings) {
            line(out, "  - %s", warning.c_str());
        }
    }
    render_gates(out, outcome.gates);
    return out;
}

std::string render_comparison(const std::vector<InspectOutcome>& outcomes) {
    std::vector<std::vector<std::string>> rows = {
        {"image"},  {"size"}, {"stored"}, {"layers"}, {"efficiency"}, {"wasted"},
        {"ghosts"}, {"root"}, {"shell"},  {"score"},  {"gates"}};
    for (const auto& outcome : outcomes) {
        auto slash = outcome.source.find_last_of('/', outcome.source.size() - 2);
        rows[0].push_back(slash == std::string::npos ? outcome.source
                                                     : outcome.source.substr(slash + 1));
        if (!outcome.report) {
            for (size_t i = 1; i < rows.size(); ++i) {
                rows[i].emplace_back(i == 1 ? "unreadable" : "-");
            }
            continue;
        }
        const auto& r = *outcome.report;
        rows[1].push_back(human_bytes(r.total_bytes));
        rows[2].push_back(human_bytes(r.compressed_bytes));
        rows[3].push_back(std::to_string(r.layers.size()));
        rows[4].push_back(percent(r.efficiency));
        rows[5].push_back(human_bytes(r.wasted_bytes));
        rows[6].push_back(std::to_string(r.ghosts.size()));
        rows[7].emplace_back(r.runs_as_root ? "yes" : "no");
        rows[8].push_back(r.shells.empty() ? "no" : r.shells.front());
        rows[9].push_back(std::to_string(r.score));
        rows[10].emplace_back(outcome.gates.empty() ? "-" : outcome.gate_failed ? "FAIL" : "PASS");
    }
    std::vector<size_t> widths;
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) {
            widths.resize(std::max(widths.size(), i + 1));
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string out;
    for (const auto& row : rows) {
        std::string text;
        for (size_t i = 0; i < row.size(); ++i) {
            text += row[i] + std::string(widths[i] - row[i].size() + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ') {
            text.pop_back();
        }
        out += probes::printable(text) + "\n";
    }
    return out;
}

Json render_json(const InspectOutcome& outcome) {
    if (!outcome.report) {
        return Json{{"source", outcome.source}, {"error", outcome.error}};
    }
    const image::ImageReport& r = *outcome.report;
    Json layers = Json::array();
    for (const auto& layer : r.layers) {
        layers.push_back({{"index", layer.index},
                          {"diff_id", layer.diff_id},
                          {"digest", layer.digest},
                          {"media_type", layer.media_type},
                          {"compression", layer.compression},
                          {"compressed_bytes", layer.compressed_bytes},
                          {"uncompressed_bytes", layer.uncompressed_bytes},
                          {"size_bytes", layer.size_bytes},
                          {"entries", layer.entries},
                          {"files", layer.files},
                          {"directories", layer.directories},
                          {"whiteouts", layer.whiteouts},
                          {"tree_nodes", layer.tree_nodes},
                          {"created_by", layer.created_by ? Json(*layer.created_by) : Json()},
                          {"command", layer.command ? Json(*layer.command) : Json()},
                          {"created", layer.created ? Json(*layer.created) : Json()}});
    }
    Json paths = Json::array();
    for (const auto& path : r.paths) {
        paths.push_back({{"path", path.path},
                         {"class", path.kind},
                         {"copies", path.copies},
                         {"layers", path.layers},
                         {"removed_in", path.removed_in ? Json(*path.removed_in) : Json()},
                         {"bytes", path.bytes},
                         {"files", path.files}});
    }
    Json ghosts = Json::array();
    for (const auto& ghost : r.ghosts) {
        Json item = ghost_json(ghost);
        item["mode_before"] = ghost.mode_before;
        item["mode_after"] = ghost.mode_after;
        item["owner_before"] =
            std::to_string(ghost.uid_before) + ":" + std::to_string(ghost.gid_before);
        item["owner_after"] =
            std::to_string(ghost.uid_after) + ":" + std::to_string(ghost.gid_after);
        ghosts.push_back(std::move(item));
    }
    Json inefficiencies = Json::array();
    for (const auto& item : r.inefficiencies) {
        inefficiencies.push_back({{"path", item.path},
                                  {"count", item.count},
                                  {"cumulative_bytes", item.cumulative_bytes},
                                  {"minimum_bytes", item.minimum_bytes}});
    }
    Json findings = Json::array();
    for (const auto& finding : r.findings) {
        findings.push_back({{"id", finding.id},
                            {"severity", image::severity_name(finding.severity)},
                            {"message", finding.message},
                            {"fix", finding.fix},
                            {"paths", finding.paths}});
        if (finding.bytes > 0) {
            findings.back()["bytes"] = finding.bytes;
        }
    }
    Json skipped = Json::array();
    for (const auto& item : r.skipped) {
        skipped.push_back(
            {{"platform", item.platform}, {"digest", item.digest}, {"reason", item.reason}});
    }
    Json gates = Json::array();
    for (const auto& gate : outcome.gates) {
        gates.push_back({{"name", gate.name},
                         {"status", image::gate_status_name(gate.status)},
                         {"message", gate.message}});
    }
    return Json{{"source", r.source},
                {"format", r.format},
                {"compression", r.compression},
                {"reference", r.reference},
                {"platform", r.platform},
                {"config_digest", r.config_digest},
                {"manifest_digest", r.manifest_digest},
                {"created", r.created},
                {"user", r.user},
                {"runs_as_root", r.runs_as_root},
                {"shells", r.shells},
                {"total_bytes", r.total_bytes},
                {"user_bytes", r.user_bytes},
                {"compressed_bytes", r.compressed_bytes},
                {"final_bytes", r.final_bytes},
                {"wasted_bytes", r.wasted_bytes},
                {"dive_wasted_bytes", r.dive_wasted_bytes},
                {"efficiency", r.efficiency},
                {"user_wasted_ratio", optional_ratio(r.user_wasted_ratio)},
                {"dive_user_wasted_ratio", optional_ratio(r.dive_user_wasted_ratio)},
                {"score", r.score},
                {"layers", layers},
                {"paths", paths},
                {"ghosts", ghosts},
                {"inefficiencies", inefficiencies},
                {"findings", findings},
                {"skipped", skipped},
                {"provenance", {{"attestation_manifests", r.attestation_manifests}}},
                {"warnings", r.warnings},
                {"gates", gates},
                {"result", outcome.gate_failed ? "fail" : "pass"}};
}

Json render_report_file(const InspectOutcome& outcome, size_t top) {
    const image::ImageReport& r = *outcome.report;
    Json layers = Json::array();
    for (const auto& layer : r.layers) {
        layers.push_back({{"index", layer.index},
                          {"diff_id", layer.diff_id},
                          {"size_bytes", layer.size_bytes},
                          {"compressed_bytes", layer.compressed_bytes},
                          {"files", layer.files},
                          {"command", layer.command ? Json(*layer.command) : Json()},
                          {"created", layer.created ? Json(*layer.created) : Json()}});
    }
    Json ghosts = Json::array();
    for (size_t i = 0; i < r.ghosts.size() && i < std::min(top, kReportGhosts); ++i) {
        ghosts.push_back(ghost_json(r.ghosts[i]));
    }
    Json findings = Json::array();
    for (const auto& finding : r.findings) {
        findings.push_back({{"id", finding.id},
                            {"severity", image::severity_name(finding.severity)},
                            {"message", finding.message}});
    }
    Json failed = Json::array();
    for (const auto& gate : outcome.gates) {
        if (gate.status == image::GateStatus::Fail) {
            failed.push_back(gate.name);
        }
    }
    return Json{{"schema", "hale.inspect.report/v1"},
                {"generated_by", std::string("hale ") + build::kVersion},
                {"image",
                 {{"reference", r.reference},
                  {"platform", r.platform},
                  {"config_digest", r.config_digest},
                  {"created", r.created},
                  {"user", r.user},
                  {"runs_as_root", r.runs_as_root},
                  {"shell", !r.shells.empty()}}},
                {"total_bytes", r.total_bytes},
                {"compressed_bytes", r.compressed_bytes},
                {"final_bytes", r.final_bytes},
                {"wasted_bytes", r.wasted_bytes},
                {"dive_wasted_bytes", r.dive_wasted_bytes},
                {"efficiency", r.efficiency},
                {"score", r.score},
                {"layers", layers},
                {"ghosts", ghosts},
                {"findings", findings},
                {"gates", {{"result", outcome.gate_failed ? "fail" : "pass"}, {"failed", failed}}}};
}

}  // namespace hale::sidecar
