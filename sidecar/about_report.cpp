#include "sidecar/about_report.hpp"

#include <fcntl.h>
#include <nettle/sha2.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "build_info.hpp"
#include "probes/hardening/capabilities.hpp"
#include "probes/text.hpp"
#include "probes/unique_fd.hpp"

namespace hale::sidecar {
namespace {

namespace hardening = probes::hardening;
using hardening::Finding;
using hardening::Status;
using probes::printable;
using json = nlohmann::ordered_json;

// Filesystem types that are kernel interfaces rather than storage.
constexpr std::array<std::string_view, 18> kInterfaceFsTypes = {
    "proc",     "sysfs",      "devpts",    "mqueue",      "cgroup", "cgroup2",
    "nsfs",     "securityfs", "debugfs",   "tracefs",     "bpf",    "pstore",
    "configfs", "fusectl",    "selinuxfs", "binfmt_misc", "autofs", "hugetlbfs"};

// Files every runtime bind-mounts writable into every container.
constexpr std::array<std::string_view, 4> kRuntimeFiles = {
    "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/dev/termination-log"};

bool under(std::string_view path, std::string_view dir) {
    return path == dir ||
           (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

template <size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

json nullable(const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
}

template <class T>
json optional_json(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

std::map<Status, size_t> count_by_status(const std::vector<Finding>& findings) {
    std::map<Status, size_t> counts{
        {Status::Pass, 0}, {Status::Warn, 0}, {Status::Fail, 0}, {Status::Skip, 0}};
    for (const auto& finding : findings) {
        ++counts[finding.status];
    }
    return counts;
}

json identity_json(const hardening::Facts& facts) {
    json identity = {{"uid", nullptr},         {"gid", nullptr},          {"groups", nullptr},
                     {"name", nullptr},        {"home", nullptr},         {"login_shell", nullptr},
                     {"interactive", nullptr}, {"passwd_entry", nullptr}, {"root_user", nullptr},
                     {"root_group", nullptr}};
    if (!facts.status) {
        return identity;
    }
    const auto& status = *facts.status;
    if (auto uid = status.effective_uid()) {
        identity["uid"] = *uid;
        identity["root_user"] = *uid == 0;
    }
    if (auto gid = status.effective_gid()) {
        identity["gid"] = *gid;
        bool root_group = *gid == 0;
        if (status.groups) {
            identity["groups"] = *status.groups;
            root_group = root_group || std::find(status.groups->begin(), status.groups->end(),
                                                 0U) != status.groups->end();
        }
        identity["root_group"] = root_group;
    }
    if (facts.passwd && status.effective_uid()) {
        const auto* entry = facts.passwd->find_uid(*status.effective_uid());
        identity["passwd_entry"] = entry != nullptr;
        if (entry != nullptr) {
            auto shell = hardening::effective_shell(*entry);
            identity["name"] = entry->name;
            identity["home"] = entry->home;
            identity["login_shell"] = shell;
            identity["interactive"] = !hardening::is_no_login_shell(shell);
        }
    }
    return identity;
}

json capabilities_json(const hardening::Facts& facts) {
    json caps = json::object();
    if (!facts.status) {
        return caps;
    }
    const auto& status = *facts.status;
    auto names = [](const std::optional<uint64_t>& mask) {
        return mask ? json(hardening::capability_names(*mask)) : json(nullptr);
    };
    caps["effective"] = names(status.cap_effective);
    caps["permitted"] = names(status.cap_permitted);
    caps["inheritable"] = names(status.cap_inheritable);
    caps["bounding"] = names(status.cap_bounding);
    caps["ambient"] = names(status.cap_ambient);
    return caps;
}

json fs_json(const hardening::Facts& facts) {
    json fs = {{"read_only_root", nullptr}, {"writable", nullptr}};
    if (!facts.mounts) {
        return fs;
    }
    if (const auto* root = facts.mounts->find("/")) {
        fs["read_only_root"] = root->read_only();
    }
    fs["writable"] = writable_mount_points(*facts.mounts);
    return fs;
}

json sockets_json(const hardening::Facts& facts) {
    json sockets = json::array();
    for (const auto& socket : facts.sockets) {
        sockets.push_back({{"mount", socket.path},
                           {"source", nullable(socket.source)},
                           {"mount_ro", optional_json(socket.mount_ro)},
                           {"runtime", socket.runtime},
                           {"connectable", optional_json(socket.connectable)},
                           {"risk", "host-root"}});
    }
    return sockets;
}

json runtime_json(const hardening::Facts& facts) {
    json user_namespace = nullptr;
    if (facts.namespaces.uid_map) {
        user_namespace = {{"remapped", !facts.namespaces.uid_map->identity},
                          {"uid_map", facts.namespaces.uid_map->text}};
    }
    return {{"container", nullable(facts.runtime.container)},
            {"id", nullable(facts.runtime.id)},
            {"kernel", nullable(facts.kernel.release)},
            {"cgroup", facts.cgroup.version},
            {"user_namespace", user_namespace}};
}

json finding_json(const Finding& finding) {
    return {{"id", finding.id},
            {"title", finding.title},
            {"status", hardening::to_string(finding.status)},
            {"observed", finding.observed},
            {"expected", finding.expected},
            {"why", finding.why},
            {"fix", finding.fix}};
}

std::string upper(Status status) {
    std::string word(hardening::to_string(status));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return word;
}

void append_finding(std::string& out,
                    const Finding& finding,
                    bool detail,
                    const std::string& note = {}) {
    out += upper(finding.status) + " " + finding.id + note + ": " + printable(finding.title);
    if (!detail) {
        out += " -- " + printable(finding.observed) + "\n";
        return;
    }
    out += "\n     observed: " + printable(finding.observed) + "\n";
    if (finding.status == Status::Skip) {
        return;
    }
    out += "     expected: " + printable(finding.expected) + "\n";
    out += "     why:      " + printable(finding.why) + "\n";
    out += "     fix:      " + printable(finding.fix) + "\n";
}

// The order every readable form lists checks in: failures, warnings, skips, then passes, each
// group in table order.
std::vector<const Finding*> worst_first(const std::vector<Finding>& findings) {
    std::vector<const Finding*> ordered;
    for (Status status : {Status::Fail, Status::Warn, Status::Skip, Status::Pass}) {
        for (const auto& finding : findings) {
            if (finding.status == status) {
                ordered.push_back(&finding);
            }
        }
    }
    return ordered;
}

std::string summary_text(const std::vector<Finding>& findings) {
    auto counts = count_by_status(findings);
    return std::to_string(counts[Status::Fail]) + " fail, " + std::to_string(counts[Status::Warn]) +
           " warn, " + std::to_string(counts[Status::Pass]) + " pass, " +
           std::to_string(counts[Status::Skip]) + " skip";
}

std::string identity_line(const hardening::Facts& facts) {
    if (!facts.status || !facts.status->uid || !facts.status->gid) {
        return "unknown";
    }
    auto uid = *facts.status->effective_uid();
    std::string line = "uid " + std::to_string(uid) + ", gid " +
                       std::to_string(*facts.status->effective_gid()) + ", groups ";
    std::string groups;
    for (auto group : facts.status->groups.value_or(std::vector<uint32_t>{})) {
        groups += (groups.empty() ? "" : ",") + std::to_string(group);
    }
    line += groups.empty() ? "none" : groups;
    if (!facts.passwd) {
        return line + "; /etc/passwd unreadable";
    }
    if (!facts.passwd->present) {
        return line + "; no /etc/passwd";
    }
    const auto* entry = facts.passwd->find_uid(uid);
    if (entry == nullptr) {
        return line + "; no passwd entry";
    }
    return line + "; user " + printable(entry->name) + ", shell " +
           printable(hardening::effective_shell(*entry));
}

std::string hale_line(const HaleInfo& info) {
    return info.version + " (revision " + info.revision + ", " +
           (info.is_static ? "static" : "dynamic") + "), sha256 " +
           (info.sha256.empty() ? "unknown" : info.sha256);
}

std::string runtime_line(const hardening::Facts& facts) {
    std::string line =
        facts.runtime.container.empty() ? "no container runtime detected" : facts.runtime.container;
    if (!facts.runtime.id.empty()) {
        line += " " + facts.runtime.id.substr(0, 12);
    }
    line += ", kernel " + (facts.kernel.release.empty() ? "unknown" : facts.kernel.release);
    line += ", cgroup " + facts.cgroup.version;
    if (facts.namespaces.uid_map) {
        line += facts.namespaces.uid_map->identity ? ", no user namespace remap"
                                                   : ", user namespace remapped";
    }
    return printable(line);
}

// Text for an HTML page: the five characters that could open a tag, an entity or an
// attribute are written as entities.
std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// A value from the container or the image, made printable and then escaped. Lists joined by
// bare commas (capability names) may break after each comma instead of inside a name.
std::string html_value(std::string_view text) {
    std::string out;
    for (char c : html_escape(printable(text))) {
        out += c;
        if (c == ',') {
            out += "<wbr>";
        }
    }
    return out;
}

// Inline, since the page loads nothing. The colours only repeat the status word beside them.
constexpr std::string_view kHtmlStyle =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:75em;padding:0 1em;"
    "color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}"
    "table{border-collapse:collapse;width:100%;table-layout:fixed}"
    "th,td{text-align:left;vertical-align:top;padding:.35em .6em;border-bottom:1px solid #ddd;"
    "overflow-wrap:anywhere}"
    ".facts th{width:7em}.checks th:nth-child(1){width:4em}.checks th:nth-child(2){width:20%}"
    ".checks th:nth-child(4){width:22%}.checks th:nth-child(5){width:24%}"
    "th{background:#f4f4f4}code,pre{font-family:ui-monospace,monospace;font-size:.95em}"
    "pre{background:#f7f7f7;padding:1em;overflow-x:auto}"
    ".status{font-weight:bold;text-transform:uppercase;white-space:nowrap}"
    ".fail .status{color:#b00020}.warn .status{color:#8a5a00}"
    ".skip .status{color:#555}.pass .status{color:#1b6e20}"
    ".why{color:#555}";

void append_html_row(std::string& out, std::string_view label, const std::string& value) {
    out += "<tr><th>";
    out += label;
    out += "</th><td>" + value + "</td></tr>\n";
}

void append_html_finding(std::string& out, const Finding& finding) {
    std::string status(hardening::to_string(finding.status));
    out += "<tr class=\"" + status + R"("><td class="status">)" + status + "</td>";
    out += "<td><b>" + html_value(finding.title) + "</b><br><code>" + html_value(finding.id) +
           "</code></td>";
    out += "<td>" + html_value(finding.observed) + "</td>";
    if (finding.status == Status::Pass || finding.status == Status::Skip) {
        out += "<td></td><td></td></tr>\n";
        return;
    }
    out += "<td>" + html_value(finding.expected) + "<div class=\"why\">" + html_value(finding.why) +
           "</div></td>";
    out += "<td><code>" + html_value(finding.fix) + "</code></td></tr>\n";
}

}  // namespace

probes::Result<std::string> file_sha256(const std::string& path) {
    probes::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        return probes::Error{"cannot open " + path + ": " + probes::describe_errno(errno)};
    }
    sha256_ctx ctx{};
    sha256_init(&ctx);
    std::array<uint8_t, size_t{64} * 1024> buffer{};
    for (;;) {
        ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return probes::Error{"cannot read " + path + ": " + probes::describe_errno(errno)};
        }
        if (got == 0) {
            break;
        }
        sha256_update(&ctx, static_cast<size_t>(got), buffer.data());
    }
    std::array<uint8_t, SHA256_DIGEST_SIZE> digest{};
    sha256_digest(&ctx, digest.size(), digest.data());
    std::string hex;
    constexpr std::string_view kHex = "0123456789abcdef";
    for (auto byte : digest) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0x0f];
    }
    return hex;
}

HaleInfo hale_info(const std::string& exe_path) {
    HaleInfo info{build::kVersion,
                  build::kRevision,
                  build::kBuildTime,
                  build::kCompiler,
                  build::kStatic,
                  {},
                  {}};
    auto sha = file_sha256(exe_path);
    if (sha) {
        info.sha256 = *sha;
    } else {
        info.sha256_error = sha.error();
    }
    return info;
}

AboutReport collect_about_report(const hardening::Roots& roots,
                                 const hardening::CheckOptions& options) {
    AboutReport report{hardening::collect_facts(roots), {}, std::nullopt};
    report.findings = hardening::run_checks(report.facts, options);
    return report;
}

std::vector<std::string> writable_mount_points(const hardening::MountTable& table) {
    // Walked from the end: a later mount at the same point hides the earlier ones.
    std::vector<std::string> points;
    std::set<std::string_view> seen;
    for (size_t i = table.mounts.size(); i-- > 0;) {
        const auto& mount = table.mounts[i];
        const auto& point = mount.mount_point;
        if (!seen.insert(point).second) {
            continue;
        }
        if (mount.read_only() || point == "/" || point == "/dev" || under(point, "/proc") ||
            under(point, "/sys") || in(kInterfaceFsTypes, mount.fstype) ||
            in(kRuntimeFiles, point)) {
            continue;
        }
        points.push_back(point);
    }
    std::reverse(points.begin(), points.end());
    return points;
}

json about_json(const AboutReport& report, const HaleInfo& info) {
    const auto& facts = report.facts;
    auto counts = count_by_status(report.findings);

    json checks = json::array();
    for (const auto& finding : report.findings) {
        checks.push_back(finding_json(finding));
    }
    json docker_host = nullptr;
    if (facts.env && !facts.env->docker_host_scheme.empty()) {
        docker_host = facts.env->docker_host_scheme;
    }

    return {
        {"status", hardening::to_string(hardening::overall_status(report.findings))},
        {"summary",
         {{"pass", counts[Status::Pass]},
          {"warn", counts[Status::Warn]},
          {"fail", counts[Status::Fail]},
          {"skip", counts[Status::Skip]}}},
        {"hale",
         {{"version", info.version},
          {"commit", info.revision},
          {"build_time", info.build_time},
          {"compiler", info.compiler},
          {"static", info.is_static},
          {"sha256", nullable(info.sha256)}}},
        {"identity", identity_json(facts)},
        {"capabilities", capabilities_json(facts)},
        {"fs", fs_json(facts)},
        {"sockets", sockets_json(facts)},
        {"docker_host_env", docker_host},
        {"runtime", runtime_json(facts)},
        {"image", report.image ? image_json(*report.image) : json(nullptr)},
        {"checks", checks},
    };
}

std::string dump_json(const json& value, int indent) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string about_text(const AboutReport& report, const HaleInfo& info) {
    const auto& facts = report.facts;
    std::string out =
        "hale about: " +
        std::string(hardening::to_string(hardening::overall_status(report.findings))) + " (" +
        summary_text(report.findings) + ")\n";
    out += "  hale      " + hale_line(info) + "\n";
    out += "  identity  " + identity_line(facts) + "\n";
    out += "  runtime   " + runtime_line(facts) + "\n";
    if (report.image) {
        out += "  image     " + image_summary_line(*report.image) + "\n\n";
        out += image_text(*report.image);
    }
    out += "\n";

    for (const auto* finding : worst_first(report.findings)) {
        append_finding(out, *finding, finding->status != Status::Pass);
    }
    return out;
}

std::string about_html(const AboutReport& report, const HaleInfo& info) {
    const auto& facts = report.facts;
    std::string status(hardening::to_string(hardening::overall_status(report.findings)));
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\">";
    out += "<title>hale about: " + status + "</title><style>";
    out += kHtmlStyle;
    out += "</style></head><body>\n";

    out += "<h1 class=\"" + status + R"(">hale about: <span class="status">)" + status +
           "</span></h1>\n<p>" + summary_text(report.findings) + "</p>\n<table class=\"facts\">\n";
    append_html_row(out, "hale", html_value(hale_line(info)));
    append_html_row(out, "identity", html_value(identity_line(facts)));
    append_html_row(out, "runtime", html_value(runtime_line(facts)));
    if (report.image) {
        append_html_row(out, "image", html_value(image_summary_line(*report.image)));
    }
    out += "</table>\n";

    out += "<h2>Checks</h2>\n<table class=\"checks\">\n";
    out +=
        "<tr><th>status</th><th>check</th><th>observed</th><th>expected, and why</th>"
        "<th>fix</th></tr>\n";
    for (const auto* finding : worst_first(report.findings)) {
        append_html_finding(out, *finding);
    }
    out += "</table>\n";

    if (report.image) {
        out += "<h2>Image</h2>\n<pre>" + html_escape(image_text(*report.image)) + "</pre>\n";
    }
    out +=
        "<p>The same report as <a href=\"?format=json\">JSON</a> or "
        "<a href=\"?format=text\">text</a>.</p>\n</body></html>\n";
    return out;
}

std::string verify_text(const hardening::PolicyVerdict& verdict,
                        const AboutReport& report,
                        const hardening::Policy& policy) {
    std::string level = policy.fail_on == Status::Warn ? "warn" : "fail";
    std::string out;
    if (verdict.passed) {
        out = "hale verify: ok: no check fails the policy (fail-on " + level + "; " +
              summary_text(report.findings) + ")\n";
        return out;
    }
    out = "hale verify: failed: " + std::to_string(verdict.failures.size()) +
          (verdict.failures.size() == 1 ? " check fails" : " checks fail") +
          " the policy (fail-on " + level + "; " + summary_text(report.findings) + ")\n";
    for (const auto& failure : verdict.failures) {
        std::string note;
        if (failure.reason.starts_with("required")) {
            note = " (required)";
        }
        append_finding(out, failure.finding, true, note);
    }
    return out;
}

}  // namespace hale::sidecar
