// `${VAR}` expansion for arguments that arrive without a shell, as exec-form HEALTHCHECK and
// Kubernetes exec probes pass them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/result.hpp"

namespace hale::probes {

// Looks a variable up; nullopt when it is unset (an empty value is set).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment.
EnvLookup process_env();

// Expands `${NAME}`, `${NAME:-default}` (default when unset or empty) and `${NAME-default}`
// (default when unset). A `$` not followed by `{` is kept as it is, so URLs with `$` in a path
// are safe. Examples, with PORT=9090 and EMPTY="":
//   http://127.0.0.1:${PORT}/health   -> http://127.0.0.1:9090/health
//   ${HOST:-127.0.0.1}:${PORT}        -> 127.0.0.1:9090
//   ${EMPTY:-x} ${EMPTY-x}            -> "x "
//   /price$5                          -> /price$5
//   ${UNSET}                          -> error "UNSET is unset"
//   ${PORT                            -> error: unterminated
Result<std::string> expand_vars(std::string_view text, const EnvLookup& env);

// Every argument expanded; the first error stops it.
Result<std::vector<std::string>> expand_vars_all(const std::vector<std::string>& args,
                                                 const EnvLookup& env);

}  // namespace hale::probes
