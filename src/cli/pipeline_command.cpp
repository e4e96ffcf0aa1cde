#include "cli/pipeline_command.hpp"

#include <iostream>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <memory>

#include "adapters/pipeline/pipeline_adapters.hpp"
#include "app/pipeline/build_model.hpp"
#include "app/pipeline/pipeline_service.hpp"
#include "app/pipeline/raw_manifest.hpp"
#include "cli/allocator.hpp"

namespace marquee {

void add_pipeline_command(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string dir, key, field, against;
    bool example = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("pipeline", "Registration drive pipeline: raw exports + patches → summaries and a static site");
  auto* init = cmd->add_subcommand("init", "Scaffold a project folder (with --example: a fake drive that builds at once)");
  init->add_option("dir", args->dir, "New project folder")->required();
  init->add_flag("--example", args->example, "Fill it with a realistic fake registration drive");
  auto* build = cmd->add_subcommand("build", "Build out/private and out/public; fails on bad input or personal data in public files");
  build->add_option("dir", args->dir, "Project folder")->required();
  auto* explain = cmd->add_subcommand("explain", "Where a registrant's values came from: raw row, normalization, patches, rules");
  explain->add_option("dir", args->dir, "Project folder")->required();
  explain->add_option("key", args->key, "Registrant key (r-…)")->required();
  explain->add_option("field", args->field, "One field (default: all)");
  auto* diff = cmd->add_subcommand("diff", "What changed between this build and another (default: the previous build)");
  diff->add_option("dir", args->dir, "Project folder")->required();
  diff->add_option("--against", args->against, "Another project folder, out/ folder or summary.json");
  auto* accept = cmd->add_subcommand("accept-raw", "Record the raw exports' SHA-256 sums in raw/SHA256SUMS (after adding a new export)");
  accept->add_option("dir", args->dir, "Project folder")->required();
  auto* lock = cmd->add_subcommand("lock", "Lock the programme: later changes need an override");
  lock->add_option("dir", args->dir, "Project folder")->required();
  cmd->require_subcommand(1);

  ctx.add_runner([=]() -> int {
    if (!cmd->parsed()) return -1;
    using namespace pipeline;
    const PipelinePorts ports = pipeline_adapters();  // the composition: production adapters behind every port
    try {
      if (init->parsed()) {
        const auto files = init_project(args->dir, args->example, ports);
        std::cout << "created " << args->dir << " (" << files.size() << " files)\n";
        if (args->example) std::cout << "next: marquee pipeline build " << args->dir << "\n";
        return 0;
      }
      if (build->parsed()) {
#if defined(__GLIBC__) && !defined(MARQUEE_MIMALLOC)
        // A build frees large buffers (raw files, rows, pieces) from several
        // threads; a fixed 1 MiB mmap threshold gives them back to the system
        // at once instead of leaving them in the threads' heaps (about 30 MiB
        // less at 50,000 registrations, at no cost in time). Only for glibc's
        // allocator: a binary linked with mimalloc does not use it.
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
        // Its threads free and take again memory all through a build (rows,
        // cells, the raw files): freed pages held 100 ms. Its threads' memory
        // in huge pages: a 4 KiB page cost a fault each (allocator.hpp).
        hold_freed_pages(std::chrono::milliseconds(100));
        use_huge_pages();
        use_huge_pages_in_new_threads();
        const BuildSummary s = build_project(args->dir, ports);
        std::cout << "built " << args->dir << "/out: " << s.registrants << " registrants";
        if (s.active != s.registrants)
          std::cout << " (" << s.active << " active, counted on the site: " << s.cancelled << " cancelled and "
                    << s.marked_duplicate << " marked duplicate are not)";
        std::cout << ", " << s.sessions << " sessions, "
                  << s.patches << " patches, " << s.overrides << " overrides, " << s.files << " files\n"
                  << s.duplicates << " possible duplicate groups, " << s.conflicts << " overlapping seats, "
                  << s.warnings.size() << " warnings (details: out/private/report.txt)\n";
        const std::size_t shown = std::min<std::size_t>(s.warnings.size(), 20);
        for (std::size_t i = 0; i < shown; ++i) std::cout << "warning: " << s.warnings[i] << "\n";
        if (shown < s.warnings.size()) std::cout << "… " << (s.warnings.size() - shown) << " more in out/private/report.txt\n";
        return 0;
      }
      if (explain->parsed()) {
        std::cout << explain_record(args->dir, args->key, args->field, ports);
        return 0;
      }
      if (diff->parsed()) {
        std::cout << diff_builds(args->dir, args->against, ports);
        return 0;
      }
      if (accept->parsed()) {
        const auto changes = accept_raw(args->dir, ports.files);
        for (const auto& c : changes) std::cout << c << "\n";
        if (changes.empty()) std::cout << "raw/SHA256SUMS already matches raw/\n";
        return 0;
      }
      if (lock->parsed()) {
        std::cout << "locked the programme: baseline " << lock_programme(args->dir, ports) << "\n";
        return 0;
      }
    } catch (const BuildFailed& e) {
      std::cerr << "marquee pipeline: the build failed (" << e.errors().size() << " error"
                << (e.errors().size() == 1 ? "" : "s") << "):\n";
      for (const auto& err : e.errors()) std::cerr << "error: " << err << "\n";
      return 1;
    } catch (const ConfigError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 2;
    }
    return -1;
  });
}

}  // namespace marquee
