#include "adapters/pipeline/pipeline_adapters.hpp"

#include "adapters/formats/csv_reader.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/pipeline/bundled_files.hpp"
#include "adapters/pipeline/programme_reader.hpp"
#include "adapters/pipeline/project_config.hpp"
#include "adapters/pipeline/project_files.hpp"
#include "adapters/pipeline/site_pages.hpp"
#include "adapters/pipeline/table_encoders.hpp"

namespace marquee::pipeline {

PipelinePorts pipeline_adapters() {
  PipelinePorts ports;
  ports.load_project = {load_settings, load_patches};
  ports.files = local_project_files();
  ports.read_csv = read_csv_each;
  ports.read_programme = programme_reader(format_readers());
  ports.encode = table_encoders();
  ports.render_site = site_files;
  ports.bundled = embedded_files;
  return ports;
}

}  // namespace marquee::pipeline
