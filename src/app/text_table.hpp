// A plain-text table for terminals: columns sized to their contents, UTF-8 aware.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace reqtrace::app {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  // A cell longer than its column's limit is cut with "…"; 0 means no limit.
  void limit_column(std::size_t column, std::size_t width);
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> limits_;
};

// Rows as plain aligned columns, no rules: each line starts with `indent` spaces, columns are
// three spaces apart, and the last column is not padded.
void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   std::size_t indent);

// Columns a string takes in a terminal (code points; no wide characters here).
std::size_t display_width(const std::string& text);

}  // namespace reqtrace::app
