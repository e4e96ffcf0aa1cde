#pragma once
// What the pipeline use cases need from outside the domain, each behind a
// small port. The composition (cli/pipeline_command.cpp) fills it with the
// adapters of src/adapters/pipeline; tests may pass their own.
#include "ports/bundled_files.hpp"
#include "ports/csv_table_reader.hpp"
#include "ports/programme_reader.hpp"
#include "ports/project_files.hpp"
#include "ports/project_loader.hpp"
#include "ports/site_renderer.hpp"
#include "ports/table_encoders.hpp"

namespace marquee::pipeline {

/// One field per port; every use case in pipeline_service.hpp takes the set.
struct PipelinePorts {
  ProjectLoader load_project;      ///< config/*.toml → ProjectConfig (settings and patches apart, or whole)
  ProjectFiles files;              ///< the project folder's files
  CsvRecordReader read_csv;        ///< raw exports → records, one at a time
  ProgrammeReader read_programme;  ///< program/… → sessions
  TableEncoders encode;            ///< tables → CSV text, XLSX workbooks (in pieces)
  SiteRenderer render_site;        ///< public summary → public/site/…
  BundledFiles bundled;            ///< the scaffold and example project (`init`)
};

}  // namespace marquee::pipeline
