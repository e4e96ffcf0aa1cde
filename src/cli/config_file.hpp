#pragma once
// `marquee serve --config FILE`: every serve option from a TOML file, with
// flags and the environment taking precedence (flag > environment > file >
// default). Keys are the long option names with '_' for '-' ("smtp_url" for
// --smtp-url); environment variables are MARQUEE_ and the upper-case key
// ("MARQUEE_SMTP_URL"). See docs/configuration.md.
#include <string>

#include <CLI/CLI.hpp>

namespace marquee {

/// "smtp_url" for --smtp-url, "no_seed" for --no-seed: the option's key in the
/// configuration file.
std::string config_key(const CLI::Option& option);

/// "MARQUEE_SMTP_URL" for --smtp-url: the option's environment variable.
std::string environment_name(const CLI::Option& option);

/// Gives every option of `cmd` whose name ends in "-file" a transform that
/// turns "credential:NAME" into $CREDENTIALS_DIRECTORY/NAME (systemd's
/// LoadCredential=; a CLI::ValidationError when the variable is unset or
/// NAME holds '/' or is "..").
void add_credential_paths(CLI::App& cmd);

/// Applies the non-empty MARQUEE_<KEY> environment variables to the options
/// of `cmd` that no flag set, as if each were given as a flag (lists
/// comma-separated; flags "true"/"false"). Called only once `cmd` (serve) is
/// the command being run, so other commands never see these variables.
/// Throws std::runtime_error naming the variable when its option refuses it.
void apply_environment(CLI::App& cmd);

/// Applies the TOML file `path` to the options of `cmd` that neither a flag
/// nor an environment variable set (CLI::Option::count() == 0), running each
/// option's validators and callback as if it had been given as a flag. A
/// value is a string, an integer, a boolean (flags) or an array of them
/// (repeatable options). Throws std::runtime_error naming the file and line
/// for a syntax error, an unknown key (with the nearest known key), a table,
/// or a value the option refuses; nothing is applied partially that a later
/// error would leave in doubt, since serve does not start after any error.
void apply_config_file(CLI::App& cmd, const std::string& path);

}  // namespace marquee
