#pragma once
// A pipeline project folder's configuration as plain data: what
// config/pipeline.toml, config/mappings.toml, config/patches/*.toml,
// config/overrides.toml and config/schedule-rules.toml say. Reading the TOML
// is an adapter (adapters/pipeline/project_config.hpp, behind
// ports/project_loader.hpp); docs/pipeline.md documents every key.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/datetime_text.hpp"
#include "core/pipeline/patch.hpp"
#include "core/pipeline/registrant.hpp"
#include "core/pipeline/schedule.hpp"

namespace marquee::pipeline {

/// A configuration file that cannot be used. what() starts with
/// "config/<file>:<line>: " (the line of the offending key or table).
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One [[sources]] entry: a raw export and the format (mapping) it is read with.
struct SourceConfig {
  std::string name;        ///< [a-z0-9_-]+, unique; part of every registrant key from it
  std::string file;        ///< project-relative, under raw/
  std::string format;      ///< a [formats.NAME] of mappings.toml
  std::string time_zone;   ///< IANA zone of the export's local times; "" = the project's
  std::int64_t line = 0;   ///< line of the [[sources]] header in config/pipeline.toml
};

/// [formats.NAME] of mappings.toml: how one export layout maps to fields.
struct FormatMapping {
  std::string name;
  char delimiter = ',';
  std::string encoding = "utf-8";                 ///< "utf-8" | "latin-1"
  DateOrder date_order = DateOrder::dmy;
  std::vector<std::string> record_id;             ///< columns that identify a row within the source
  std::map<std::string, std::vector<std::string>> columns;  ///< field → columns (joined with " ")
  std::vector<std::string> personal_columns;      ///< unmapped columns the privacy guard still checks
  std::int64_t line = 0;                          ///< line of the [formats.NAME] header in config/mappings.toml
};

/// Everything a project's configuration files say, with defaults for what
/// they leave out.
struct ProjectConfig {
  std::filesystem::path dir;              ///< the project folder, as given
  // config/pipeline.toml
  std::string title = "Registration drive";
  std::string time_zone = "UTC";
  std::int64_t privacy_threshold = 5;     ///< public counts below it are suppressed
  std::size_t privacy_min_chars = 5;      ///< shorter personal values are not tracked by the guard
  std::vector<std::string> privacy_allow; ///< values never reported by the guard
  std::string default_phone_country;      ///< digits, e.g. "49"
  std::string programme_file;             ///< project-relative, under program/
  std::string programme_format = "csv";   ///< "csv" (Marquee layout) | "frab" (schedule.xml)
  std::vector<SourceConfig> sources;
  std::vector<std::string> private_outputs;  ///< registrants.csv, registrants.xlsx, rosters.csv, rosters.xlsx, duplicates.csv
  std::vector<std::string> public_outputs;   ///< summary.json, summary.csv, sessions.csv, site
  // config/mappings.toml
  std::map<std::string, FieldSpec> fields;
  std::vector<std::string> field_order;   ///< declaration order
  std::map<std::string, FormatMapping> formats;
  std::map<std::string, ValueMap> value_maps;
  // config/schedule-rules.toml
  std::string lock_date;                  ///< "YYYY-MM-DD"; "" = no lock declared
  std::optional<std::int64_t> default_capacity;
  std::map<std::string, std::int64_t> capacities;
  std::vector<AssignRule> assign_rules;
  // config/overrides.toml and config/patches/*.toml (file name order)
  std::vector<Override> overrides;
  std::vector<Patch> patches;

  /// The locked programme's copy, program/locked/<programme file name>.
  std::filesystem::path lock_baseline() const;
};

/// The outputs written when pipeline.toml does not list them.
const std::vector<std::string>& all_private_outputs();
const std::vector<std::string>& all_public_outputs();

}  // namespace marquee::pipeline
