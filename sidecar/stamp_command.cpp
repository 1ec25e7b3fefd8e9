// `hale stamp`: writes the baked provenance file that hale about and /about read
// (/etc/hale/image.json): a flat JSON object of org.opencontainers.image.* keys plus
// "schema": "hale.image/v1", from flags and OCI_IMAGE_* variables. It needs no shell, so a
// `FROM scratch` stage that holds only hale can run it in exec form; hale expands ${VAR} in
// its arguments itself, and build arguments named OCI_IMAGE_* are read without any flag:
//
//   ARG OCI_IMAGE_REVISION
//   RUN ["/hale", "stamp", "--output", "/etc/hale/image.json", "--title", "app"]
//   LABEL org.opencontainers.image.revision=$OCI_IMAGE_REVISION
//
// Exit status: 0 written, 1 the file could not be written, 2 usage error or invalid value.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "probes/expand.hpp"
#include "probes/provenance/json_text.hpp"
#include "probes/provenance/provenance.hpp"
#include "probes/text.hpp"
#include "probes/unique_fd.hpp"
#include "sidecar/cli.hpp"
#include "sidecar/commands.hpp"

namespace hale::sidecar {
namespace {

namespace provenance = probes::provenance;

constexpr int kWriteFailed = 1;
constexpr Usage kUsage{"stamp", "[OPTIONS]", 2};

// "base_name" -> "--base-name".
std::string flag_name(std::string_view field) {
    std::string flag = "--" + std::string(field);
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// What a value must look like: a short string; created an RFC 3339 time; base_digest a
// sha256 or sha512 digest. ORIGIN names where the value came from: the flag or the variable.
std::optional<std::string> invalid_value(std::string_view field,
                                         const std::string& value,
                                         const std::string& origin) {
    auto rule = [&](const std::string& expected) {
        return "invalid " + origin + " " + provenance::quote(value) + ": expected " + expected;
    };
    if (value.size() > provenance::kValueCap) {
        return rule("at most " + std::to_string(provenance::kValueCap) + " bytes");
    }
    if (field == "created" && !provenance::is_rfc3339(value)) {
        return rule("an RFC 3339 time such as 2026-01-02T03:04:05Z");
    }
    if (field == "base_digest") {
        std::string_view text = value;
        bool sha256 =
            text.starts_with("sha256:") && text.size() == 7 + 64 && is_hex(text.substr(7));
        bool sha512 =
            text.starts_with("sha512:") && text.size() == 7 + 128 && is_hex(text.substr(7));
        if (!sha256 && !sha512) {
            return rule("a digest such as sha256:<64 hex digits>");
        }
    }
    return std::nullopt;
}

// Writes TEXT to PATH through a temporary file and a rename, so that a reader never sees half
// a file; creates the parent directory.
probes::Result<bool> write_file(const std::string& path, const std::string& text) {
    for (size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
        std::string dir = path.substr(0, at);
        if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
            return probes::Error{"cannot create " + dir + ": " + probes::describe_errno(errno)};
        }
    }

    std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    probes::UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid()) {
        return probes::Error{"cannot write " + path + ": " + probes::describe_errno(errno)};
    }
    size_t done = 0;
    while (done < text.size()) {
        ssize_t wrote = ::write(fd.get(), text.data() + done, text.size() - done);
        if (wrote < 0 && errno == EINTR) {
            continue;
        }
        if (wrote < 0) {
            int error = errno;
            ::unlink(temporary.c_str());
            return probes::Error{"cannot write " + path + ": " + probes::describe_errno(error)};
        }
        done += static_cast<size_t>(wrote);
    }
    // The umask must not decide who can read provenance: hale serve may run as another user.
    ::fchmod(fd.get(), 0644);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        int error = errno;
        ::unlink(temporary.c_str());
        return probes::Error{"cannot write " + path + ": " + probes::describe_errno(error)};
    }
    return true;
}

}  // namespace

int run_stamp(const Args& raw_args) {
    // ${VAR} first: exec-form RUN passes the arguments without a shell.
    auto env = probes::process_env();
    auto args = probes::expand_vars_all(raw_args, env);
    if (!args) {
        return usage_error(kUsage, args.error());
    }

    CLI::App app{
        "Write the image's provenance file (/etc/hale/image.json) that hale about and\n"
        "hale serve's /about read, from flags and OCI_IMAGE_* variables.",
        "hale stamp"};
    app.footer(
        "\nEvery flag has a variable OCI_IMAGE_<NAME> (OCI_IMAGE_REVISION, OCI_IMAGE_BASE_NAME,\n"
        "...); flags win. ${VAR} in arguments is expanded, so exec-form RUN works without a\n"
        "shell: RUN [\"/hale\", \"stamp\", \"--output\", \"/etc/hale/image.json\",\n"
        "\"--revision\", \"${GIT_SHA:-}\"]. Empty values are left out. Set the same values as\n"
        "LABEL org.opencontainers.image.* so that registries and docker inspect show them too.\n"
        "Exit status: 0 written, 1 cannot write the file, 2 usage error or invalid value.\n");
    std::string output = "-";
    app.add_option("-o,--output", output,
                   "file to write, its directory created (default -: stdout)");
    std::map<std::string, std::string, std::less<>> given;
    for (const auto& key : provenance::keys()) {
        app.add_option(flag_name(key.field), given[std::string(key.field)],
                       std::string(key.annotation));
    }
    if (auto done = parse_flags(app, kUsage, std::move(*args))) {
        return *done;
    }

    // Values: a flag, else its OCI_IMAGE_* variable; each checked.
    nlohmann::ordered_json file = {{"schema", provenance::kImageFileSchema}};
    std::string summary;
    for (const auto& key : provenance::keys()) {
        std::string value = given[std::string(key.field)];
        std::string origin = flag_name(key.field);
        if (value.empty()) {
            value = env(std::string(key.env)).value_or("");
            origin = std::string(key.env);
        }
        if (value.empty()) {
            continue;
        }
        if (auto problem = invalid_value(key.field, value, origin)) {
            return usage_error(kUsage, *problem);
        }
        file[std::string(key.annotation)] = value;
        if (key.field == "revision" || key.field == "version") {
            summary += (summary.empty() ? "" : ", ") + std::string(key.field) + " " + value;
        }
    }
    if (file.size() == 1) {
        std::fputs(
            "hale stamp: warning: no value given (flags or OCI_IMAGE_* variables); the file "
            "holds only its schema\n",
            stderr);
    }

    // The file, or stdout.
    std::string text =
        file.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    if (output == "-") {
        // A full disk or a closed pipe must not pass for a written file.
        if (std::fputs(text.c_str(), stdout) < 0 || std::fflush(stdout) != 0) {
            std::fprintf(stderr, "hale stamp: cannot write stdout: %s\n",
                         probes::describe_errno(errno).c_str());
            return kWriteFailed;
        }
        return 0;
    }
    auto written = write_file(output, text);
    if (!written) {
        std::fprintf(stderr, "hale stamp: %s\n", written.error().c_str());
        return kWriteFailed;
    }
    size_t count = file.size() - 1;
    std::fprintf(stderr, "hale stamp: wrote %s (%zu %s%s%s)\n", output.c_str(), count,
                 count == 1 ? "key" : "keys", summary.empty() ? "" : "; ", summary.c_str());
    return 0;
}

}  // namespace hale::sidecar
