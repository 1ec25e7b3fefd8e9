// Arbitrary text as a target URL, a ${VAR} template, a status list, a Location header and a
// hosts file: every parser must return a value or an error, never crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "probes/expand.hpp"
#include "probes/http_probe.hpp"
#include "probes/resolve.hpp"
#include "probes/status_set.hpp"
#include "probes/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace hale::probes;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    auto target = parse_target(text);
    if (target) {
        (void)target->url();
        (void)target->host_header();
    }

    auto env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "PORT") {
            return std::string("8080");
        }
        return std::nullopt;
    };
    (void)expand_vars(text, env);
    (void)StatusSet::parse(text);
    (void)parse_header_arg(text);
    (void)find_in_hosts_file(text, "app");

    auto base = parse_target("http://h:8080/a/b?q");
    (void)resolve_location(*base, text);
    return 0;
}
