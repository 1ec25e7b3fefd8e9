// The check functions the table in checks.cpp registers, one per check, grouped by the file
// that defines them. Callers use check_table() and find_check() instead.
#pragma once

#include "probes/hardening/check.hpp"

namespace hale::probes::hardening {

// identity_checks.cpp
Verdict check_non_root_user(const Facts& facts, const CheckOptions& options);
Verdict check_high_uid(const Facts& facts, const CheckOptions& options);
Verdict check_non_root_group(const Facts& facts, const CheckOptions& options);
Verdict check_passwd_entry(const Facts& facts, const CheckOptions& options);
Verdict check_no_login_shell(const Facts& facts, const CheckOptions& options);
Verdict check_unique_ids(const Facts& facts, const CheckOptions& options);
Verdict check_no_empty_passwords(const Facts& facts, const CheckOptions& options);

// privilege_checks.cpp
Verdict check_capabilities(const Facts& facts, const CheckOptions& options);
Verdict check_bounding_set(const Facts& facts, const CheckOptions& options);
Verdict check_not_privileged(const Facts& facts, const CheckOptions& options);
Verdict check_no_new_privileges(const Facts& facts, const CheckOptions& options);
Verdict check_seccomp(const Facts& facts, const CheckOptions& options);
Verdict check_lsm_confined(const Facts& facts, const CheckOptions& options);
Verdict check_kernel_knobs(const Facts& facts, const CheckOptions& options);
Verdict check_aslr(const Facts& facts, const CheckOptions& options);

// filesystem_checks.cpp
Verdict check_read_only_root(const Facts& facts, const CheckOptions& options);
Verdict check_no_runtime_socket(const Facts& facts, const CheckOptions& options);
Verdict check_no_host_mounts(const Facts& facts, const CheckOptions& options);
Verdict check_mount_propagation(const Facts& facts, const CheckOptions& options);
Verdict check_host_devices(const Facts& facts, const CheckOptions& options);
Verdict check_service_account_token(const Facts& facts, const CheckOptions& options);

// namespace_checks.cpp
Verdict check_host_pid(const Facts& facts, const CheckOptions& options);
Verdict check_host_ipc(const Facts& facts, const CheckOptions& options);
Verdict check_host_uts(const Facts& facts, const CheckOptions& options);
Verdict check_host_network(const Facts& facts, const CheckOptions& options);

// resource_checks.cpp
Verdict check_memory_limit(const Facts& facts, const CheckOptions& options);
Verdict check_cpu_limit(const Facts& facts, const CheckOptions& options);
Verdict check_pids_limit(const Facts& facts, const CheckOptions& options);

// image_checks.cpp
Verdict check_no_shells(const Facts& facts, const CheckOptions& options);
Verdict check_setuid_files(const Facts& facts, const CheckOptions& options);
Verdict check_leftover_files(const Facts& facts, const CheckOptions& options);
Verdict check_secret_env(const Facts& facts, const CheckOptions& options);

// Shared by the check files: "a, b, c and 4 more" ("none" when empty).
std::string join_list(const std::vector<std::string>& items, size_t shown = 8);

}  // namespace hale::probes::hardening
