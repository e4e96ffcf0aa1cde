#pragma once
// The production adapters behind every port of the pipeline use cases, for
// the composition (cli/pipeline_command.cpp, tests).
#include "app/pipeline/pipeline_ports.hpp"

namespace marquee::pipeline {

/// Local files (project_files), TOML configuration (project_config), libcsv
/// (adapters/formats/csv_reader), the import dry run over format_readers()
/// (programme_reader), CSV/XLSX writers (table_encoders), Mustache pages
/// (site_pages) and the embedded scaffold (bundled_files).
PipelinePorts pipeline_adapters();

}  // namespace marquee::pipeline
