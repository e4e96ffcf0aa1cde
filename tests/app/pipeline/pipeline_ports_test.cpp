// The pipeline use cases over their ports: a build reads the project folder
// only through ProjectFiles, so the example project held in memory builds
// exactly the outputs `marquee pipeline build` writes to disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <memory>

#include "adapters/pipeline/pipeline_adapters.hpp"
#include "app/pipeline/build_outputs.hpp"
#include "app/pipeline/pipeline_service.hpp"
#include "core/event_key.hpp"
#include "core/text.hpp"

namespace fs = std::filesystem;
using namespace marquee;
using namespace marquee::pipeline;

namespace {

using FileMap = std::map<fs::path, std::string>;  // normalized path → bytes

/// A project folder in memory; safe to use from several threads, as the port requires.
ProjectFiles memory_files(std::shared_ptr<FileMap> files) {
  auto lock = std::make_shared<std::mutex>();
  ProjectFiles f;
  f.read = [files, lock](const fs::path& p, std::string* error) -> std::optional<std::string> {
    std::lock_guard guard(*lock);
    auto it = files->find(p.lexically_normal());
    if (it != files->end()) return it->second;
    *error = "cannot be read: not in memory";
    return std::nullopt;
  };
  f.read_pieces = [read = f.read](const fs::path& p, const PieceWriter& write, std::string* error) {
    const auto bytes = read(p, error);
    if (bytes) write(*bytes);
    return bytes.has_value();
  };
  f.write = [files, lock](const fs::path& p, const std::string& bytes) {
    std::lock_guard guard(*lock);
    (*files)[p.lexically_normal()] = bytes;
  };
  f.write_pieces = [files, lock](const fs::path& p, const PieceSource& source) {
    std::string bytes;
    source([&bytes](std::string_view piece) { bytes += piece; });
    std::lock_guard guard(*lock);
    (*files)[p.lexically_normal()] = std::move(bytes);
  };
  f.list = [files, lock](const fs::path& folder) {
    std::lock_guard guard(*lock);
    std::vector<std::string> out;
    for (const auto& entry : *files) {
      const fs::path rel = entry.first.lexically_relative(folder.lexically_normal());
      if (!rel.empty() && *rel.begin() != "..") out.push_back(rel.generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  f.is_file = [files, lock](const fs::path& p) {
    std::lock_guard guard(*lock);
    return files->contains(p.lexically_normal());
  };
  return f;
}

/// A fresh folder under the temporary directory.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("marquee-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

/// The example project: its configuration and, in memory, every file that
/// `pipeline init --example` writes (the folder on disk is removed again).
std::pair<ProjectConfig, std::shared_ptr<FileMap>> example_in_memory(const PipelinePorts& disk) {
  const fs::path dir = scratch("pipeline-memory");
  init_project(dir, true, disk);
  auto files = std::make_shared<FileMap>();
  for (const auto& rel : disk.files.list(dir)) {
    std::string error;
    (*files)[(dir / rel).lexically_normal()] = disk.files.read(dir / rel, &error).value();
  }
  ProjectConfig config = disk.load_project(dir);
  fs::remove_all(dir);
  return {std::move(config), files};
}

}  // namespace

TEST(PipelinePorts, TheExampleBuildsFromMemoryAsOnDisk) {
  const PipelinePorts disk = pipeline_adapters();
  const fs::path dir = scratch("pipeline-disk");
  init_project(dir, true, disk);
  const BuildSummary summary = build_project(dir, disk);

  auto [config, files] = example_in_memory(disk);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  const BuildModel model = run_pipeline(config, memory);
  OutputFiles outputs = public_outputs(model, memory);
  EXPECT_TRUE(privacy_findings(model, outputs).empty());
  outputs.merge(private_outputs(model, memory.encode));

  EXPECT_EQ(model.registrants.size(), summary.registrants);
  EXPECT_EQ(outputs.size(), summary.files);
  for (const auto& [rel, bytes] : outputs) {
    std::string error;
    EXPECT_EQ(disk.files.read(dir / "out" / rel, &error), bytes) << rel;
  }
  fs::remove_all(dir);
}

// The two large tables reach the sink in pieces as they are encoded, the
// workbooks in pieces read back from their files; the other private files
// whole. Either way the bytes are the files'.
TEST(PipelinePorts, TheLargePrivateTablesGoOutInPieces) {
  const PipelinePorts disk = pipeline_adapters();
  auto [config, files] = example_in_memory(disk);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  const BuildModel model = run_pipeline(config, memory);

  std::map<std::string, std::string> whole, in_pieces;
  OutputSink sink;
  sink.put = [&](const std::string& path, std::string bytes) { whole[path] = std::move(bytes); };
  sink.put_pieces = [&](const std::string& path, const PieceSource& source) {
    source([&](std::string_view piece) { in_pieces[path] += piece; });
  };
  private_outputs(model, memory.encode, sink);

  EXPECT_EQ(in_pieces.size(), 4u);
  EXPECT_TRUE(in_pieces.contains("private/registrants.csv"));
  EXPECT_TRUE(in_pieces.contains("private/rosters.csv"));
  EXPECT_TRUE(in_pieces.contains("private/registrants.xlsx"));
  EXPECT_TRUE(in_pieces.contains("private/rosters.xlsx"));
  EXPECT_TRUE(in_pieces["private/registrants.xlsx"].starts_with("PK\x03\x04")) << "a zip archive";
  EXPECT_TRUE(whole.contains("private/report.txt"));
  const OutputFiles expected = private_outputs(model, memory.encode);
  EXPECT_EQ(whole.size() + in_pieces.size(), expected.size());
  for (const auto& [path, bytes] : expected) {
    const auto& got = in_pieces.contains(path) ? in_pieces[path] : whole[path];
    EXPECT_EQ(got, bytes) << path;
  }
  EXPECT_TRUE(in_pieces["private/registrants.csv"].starts_with("\"key\",\"source\",\"file\",\"line\",\"status\","));
}

TEST(PipelinePorts, AChangedRawExportStopsTheBuild) {
  const PipelinePorts disk = pipeline_adapters();
  auto [config, files] = example_in_memory(disk);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  (*files)[(config.dir / config.sources.front().file).lexically_normal()] += "\n";
  try {
    run_pipeline(config, memory);
    FAIL() << "the build ran over an edited raw export";
  } catch (const BuildFailed& e) {
    ASSERT_FALSE(e.errors().empty());
    EXPECT_EQ(e.errors().front(), config.sources.front().file +
                                      " changed since it was accepted: raw exports are never edited; if this is a new "
                                      "export on purpose, run `marquee pipeline accept-raw`");
  }
}

// Each patch names the line of its [[patch]] header and the fields keep the
// order of config/mappings.toml (both read by the adapter's own line count,
// not by toml11's count from the file's start for every value).
TEST(PipelinePorts, ConfigLinesAndFieldOrderFollowTheFiles) {
  const PipelinePorts disk = pipeline_adapters();
  const fs::path dir = scratch("pipeline-lines");
  init_project(dir, true, disk);
  const auto lines_of = [&](const std::string& rel) {
    std::string error;
    const std::string text = disk.files.read(dir / rel, &error).value();
    std::vector<std::string> lines{""};  // 1-based
    std::size_t at = 0;
    for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) lines.push_back(text.substr(at, nl - at));
    lines.push_back(text.substr(at));
    return lines;
  };
  // Many patches in one file, in file order, then a second file: lines counted on and started again.
  std::string many = "# corrections\n\n";
  for (int i = 0; i < 40; ++i)
    many += "[[patch]]\nrecord = \"r-" + std::to_string(i) + "\"\nfield = \"region\"\nold = \"\"\nnew = \"Other\"\n"
            "reason = \"x\"\nauthor = \"a\"\ndate = \"2026-08-01\"\n\n";
  disk.files.write(dir / "config/patches/2026-08-01-many.toml", many);
  const ProjectConfig config = disk.load_project(dir);
  std::size_t headers = 0;
  for (const auto& p : config.patches) {
    const auto lines = lines_of(p.file);
    ASSERT_LT(static_cast<std::size_t>(p.line), lines.size()) << p.file;
    EXPECT_EQ(lines[static_cast<std::size_t>(p.line)], "[[patch]]") << p.file << ":" << p.line;
    ++headers;
  }
  std::size_t expected = 0;
  for (const auto& rel : disk.files.list(dir / "config/patches"))
    for (const auto& line : lines_of("config/patches/" + rel)) expected += line == "[[patch]]" ? 1 : 0;
  EXPECT_EQ(headers, expected);
  EXPECT_GE(headers, 41u);

  // [fields] is a table (no order of its own in toml11): the order is the lines'.
  const auto mappings = lines_of("config/mappings.toml");
  std::vector<std::string> declared;
  bool in_fields = false;
  for (const auto& line : mappings) {
    if (line.starts_with("[")) in_fields = line == "[fields]";
    else if (in_fields && !line.empty() && line[0] != '#') declared.push_back(line.substr(0, line.find(' ')));
  }
  EXPECT_EQ(config.field_order, declared);
  fs::remove_all(dir);
}

// A build parses the patch files beside the raw exports' reading: a bad
// patch file still stops it with its ConfigError and leaves out/ as it
// was; a bad settings file is reported first, as when the files were read
// in turn; and the loader's two parts make the whole configuration.
TEST(PipelinePorts, PatchFilesReadApartFailAsBefore) {
  const PipelinePorts disk = pipeline_adapters();
  const fs::path dir = scratch("pipeline-patches-apart");
  init_project(dir, true, disk);
  build_project(dir, disk);
  std::string error;
  const std::string built = disk.files.read(dir / "out/public/summary.json", &error).value();

  const ProjectConfig whole = disk.load_project(dir);
  const ProjectConfig settings = disk.load_project.settings(dir);
  const std::vector<Patch> patches = disk.load_project.patches(dir);
  EXPECT_TRUE(settings.patches.empty());
  ASSERT_FALSE(patches.empty());
  ASSERT_EQ(whole.patches.size(), patches.size());
  for (std::size_t i = 0; i < patches.size(); ++i) EXPECT_EQ(whole.patches[i].where(), patches[i].where());
  EXPECT_EQ(whole.field_order, settings.field_order);

  auto config_error = [&] {  // what the build's ConfigError says
    try {
      build_project(dir, disk);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no ConfigError: the build went through");
  };
  disk.files.write(dir / "config/patches/2026-09-01-broken.toml", "[[patch]]\nrecord = \"r-1\nfield = \"region\"\n");
  const std::string bad_patch = config_error();
  EXPECT_NE(bad_patch.find("config/patches/2026-09-01-broken.toml"), std::string::npos) << bad_patch;
  EXPECT_EQ(disk.files.read(dir / "out/public/summary.json", &error), built) << "out/ as it was";
  EXPECT_FALSE(disk.files.exists(dir / "out.tmp"));

  disk.files.write(dir / "config/mappings.toml", "[fields\n");
  const std::string bad_settings = config_error();
  EXPECT_NE(bad_settings.find("config/mappings.toml"), std::string::npos) << bad_settings << " (the settings first)";
  fs::remove_all(dir);
}

// Each export's rows are normalized in key order (their values then lie in
// memory in the order the tables read them), yet its warnings stay in row
// order: a row's own warning (a repeated record id) before its values',
// rows left out in their place, and each value's note names its warning.
TEST(PipelinePorts, WarningsStayInRowOrderWhileRowsAreReadByKey) {
  const PipelinePorts disk = pipeline_adapters();
  auto [config, files] = example_in_memory(disk);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  const SourceConfig* eventbrite = nullptr;
  for (const auto& sc : config.sources)
    if (sc.file == "raw/eventbrite-attendees.csv") eventbrite = &sc;
  ASSERT_NE(eventbrite, nullptr);
  std::string& raw = (*files)[(config.dir / eventbrite->file).lexically_normal()];
  ASSERT_TRUE(raw.ends_with("\r\n"));
  std::size_t lines = 0;
  for (char ch : raw) lines += ch == '\n' ? 1 : 0;
  // 28 columns: order, date, first and last name, e-mail, ..., attendee number (9th), ..., region (24th).
  auto row = [](const std::string& attendee, const std::string& name, const std::string& region,
                const std::string& email = "") {
    std::vector<std::string> cells(28);
    cells[0] = "112" + attendee.substr(3);
    cells[1] = "6/1/26 10:00";
    cells[2] = name;
    cells[3] = "Tester";
    cells[4] = email.empty() ? name + "@example.org" : email;
    cells[8] = attendee;
    cells[16] = "Attending";
    cells[23] = region;
    return join(cells, ",") + "\r\n";
  };
  raw += row("99000000001", "Ada", "Atlantis");
  raw += row("99000000001", "Bea", "Lemuria");  // the same record id
  raw += "a,b,c\r\n";                          // too few fields
  raw += row("99000000002", "Cem", "Mu", "no address");  // two values' warnings: e-mail, then region
  std::string manifest, error;  // raw/SHA256SUMS as `pipeline accept-raw` writes it
  for (const auto& rel : memory.files.list(config.dir / "raw"))
    if (rel != "SHA256SUMS")
      manifest += sha256_hex(memory.files.read(config.dir / "raw" / rel, &error).value()) + "  " + rel + "\n";
  memory.files.write(config.dir / "raw/SHA256SUMS", manifest);
  const auto at = [&](std::size_t n) { return eventbrite->file + " line " + std::to_string(lines + n); };

  const BuildModel model = run_pipeline(config, memory);
  std::vector<std::string> added;
  std::vector<std::size_t> line_order;
  for (const auto& w : model.warnings) {
    if (!w.starts_with(eventbrite->file + " line ")) continue;
    line_order.push_back(std::stoul(w.substr(eventbrite->file.size() + 6)));
    if (line_order.back() > lines) added.push_back(w.substr(0, w.find(':') + 1));
  }
  EXPECT_TRUE(std::is_sorted(line_order.begin(), line_order.end()));
  EXPECT_EQ(added, (std::vector<std::string>{at(1) + ", region:", at(2) + ":", at(2) + ", region:", at(3) + ":",
                                             at(4) + ", email:", at(4) + ", region:"}));
  for (std::size_t i = 1; i < model.registrants.size(); ++i)
    ASSERT_LT(model.registrants[i - 1].key, model.registrants[i].key) << i;

  // The notes, before any patch answers them: each names a warning about its registrant's field.
  BuildModel read;
  read.config = config;
  read.session_names = model.session_names;
  std::vector<std::string> errors;
  read_registrants(read, memory, &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_GE(read.value_notes.size(), 3u);
  for (const auto& note : read.value_notes) {
    const auto r = std::find_if(read.registrants.begin(), read.registrants.end(),
                                [&](const Registrant& x) { return x.key == note.record; });
    ASSERT_NE(r, read.registrants.end()) << note.record;
    EXPECT_TRUE(read.warnings.at(note.warning).starts_with(r->file + " line " + std::to_string(r->line) + ", " +
                                                           note.field + ": "))
        << read.warnings.at(note.warning);
  }
}

// Each export's reader makes its registrants in their places in the build's
// list (MergedPlacement). One that cannot be read leaves: the others are
// still placed by key, each registrant pointing at its own source, and a
// reader that throws fails the reading rather than leaving the others
// waiting.
TEST(PipelinePorts, AnExportThatCannotBeReadLeavesTheOthersPlaced) {
  const PipelinePorts disk = pipeline_adapters();
  auto loaded = example_in_memory(disk);  // not a structured binding: the lambdas below refer to it
  const ProjectConfig& config = loaded.first;
  const std::shared_ptr<FileMap>& files = loaded.second;
  ASSERT_GE(config.sources.size(), 3u);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  const SessionNames sessions = session_names(run_pipeline(config, memory).sessions);
  const auto read_all = [&](const PipelinePorts& ports, std::vector<std::string>* errors) {
    BuildModel m;
    m.config = config;
    m.session_names = sessions;
    read_registrants(m, ports, errors);
    return m;
  };
  std::vector<std::string> errors;
  const BuildModel all = read_all(memory, &errors);
  ASSERT_TRUE(errors.empty());

  const SourceConfig& middle = config.sources[1];
  files->erase((config.dir / middle.file).lexically_normal());
  const BuildModel some = read_all(memory, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].starts_with(middle.file + ": ")) << errors[0];
  ASSERT_EQ(some.sources.size(), config.sources.size() - 1);
  std::vector<std::string> want, got;
  for (const auto& r : all.registrants)
    if (r.source != middle.name) want.push_back(r.key);
  for (const auto& r : some.registrants) {
    got.push_back(r.key);
    ASSERT_LT(r.source_index, some.sources.size());
    EXPECT_EQ(some.sources[r.source_index].config.name, r.source) << r.key;
    EXPECT_EQ(some.sources[r.source_index].rows.line(r.row_index), r.line) << r.key;
  }
  EXPECT_EQ(got, want);  // the same registrants in the same order, by key

  PipelinePorts throwing = memory;
  const fs::path first = (config.dir / config.sources[0].file).lexically_normal();
  throwing.files.read = [read = memory.files.read, first](const fs::path& p, std::string* error) {
    if (p.lexically_normal() == first) throw std::runtime_error("the disk went away");
    return read(p, error);
  };
  errors.clear();
  EXPECT_THROW(read_all(throwing, &errors), std::runtime_error);
}
