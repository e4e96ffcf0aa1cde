#pragma once
// Numbered schema migrations, read from migrations/<backend>/NNNN_name.sql
// (compiled into the binary).
#include <string>
#include <vector>

namespace marquee {

struct Migration {
  int number = 0;      ///< NNNN from the file name, > 0, unique per backend
  std::string name;    ///< file name, e.g. "0001_events.sql"
  std::string sql;     ///< statements separated by ';'
};

/// The migrations of `backend` ("sqlite" or "postgres"), ordered by number.
std::vector<Migration> migrations_for(const std::string& backend);

/// Splits a migration into statements on ';' at line ends (no ';' inside
/// string literals in our migrations), dropping "--" comment lines.
std::vector<std::string> split_statements(const std::string& sql);

}  // namespace marquee
